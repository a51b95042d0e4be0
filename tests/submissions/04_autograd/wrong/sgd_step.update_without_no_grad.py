def sgd_step(params, lr):
    """Update each parameter with a gradient in place, p -= lr * p.grad, then reset p.grad."""
    for p in params:
        if p.grad is None:
            continue
        p -= lr * p.grad
        p.grad.zero_()
