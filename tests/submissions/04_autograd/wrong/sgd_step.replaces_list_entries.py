def sgd_step(params, lr):
    """Update each parameter with a gradient in place, p -= lr * p.grad, then reset p.grad."""
    for i, p in enumerate(params):
        if p.grad is not None:
            params[i] = p - lr * p.grad
            p.grad = None
