def per_sample_grads(w, xs, ys):
    """Return an [N, D] tensor whose row i is the gradient of (xs[i] @ w - ys[i]) ** 2 wrt w."""
    rows = []
    for x_i, y_i in zip(xs, ys, strict=True):
        ((x_i @ w - y_i) ** 2).backward()
        rows.append(w.grad.clone())
    return torch.stack(rows)
