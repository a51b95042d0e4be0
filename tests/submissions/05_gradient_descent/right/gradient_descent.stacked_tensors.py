def gradient_descent(grad_fn, w0, lr, steps):
    """Run `steps` updates w <- w - lr * grad_fn(w) from w0; return all w's (length steps + 1)."""
    w = torch.as_tensor(w0, dtype=torch.float64)
    history = [w]
    for _ in range(steps):
        w = w - lr * torch.as_tensor(grad_fn(w), dtype=torch.float64)
        history.append(w)
    return torch.stack(history)
