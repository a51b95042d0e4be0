def gradient_descent(grad_fn, w0, lr, steps):
    """Run `steps` updates w <- w - lr * grad_fn(w) from w0; return all w's (length steps + 1)."""
    w = float(w0)
    history = [w]
    for _ in range(steps):
        step = lr * float(grad_fn(w))
        w = w - lr * step
        history.append(w)
    return torch.tensor(history)
