def grad_of(f, x):
    """Return the gradient of the scalar function f at x, leaving x (and x.grad) unchanged."""
    x.requires_grad_(True)
    f(x).backward()
    return x.grad
