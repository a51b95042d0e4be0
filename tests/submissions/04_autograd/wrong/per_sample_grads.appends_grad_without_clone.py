def per_sample_grads(w, xs, ys):
    """Return an [N, D] tensor whose row i is the gradient of (xs[i] @ w - ys[i]) ** 2 wrt w."""
    rows = []
    for x_i, y_i in zip(xs, ys, strict=True):
        if w.grad is not None:
            w.grad.zero_()
        ((x_i @ w - y_i) ** 2).backward()
        rows.append(w.grad)
    return torch.stack(rows)
