def sgd_step(params, lr):
    """Update each parameter with a gradient in place, p -= lr * p.grad, then reset p.grad."""
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p -= lr * p.grad
