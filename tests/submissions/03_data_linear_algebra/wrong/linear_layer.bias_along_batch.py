def linear_layer(X, W, b):
    """Return X @ W.T + b for X (n, d_in), W (d_out, d_in), b (d_out,): shape (n, d_out)."""
    return torch.mm(X, W.t()) + b.unsqueeze(1)
