def grad_of(f, x):
    """Return the gradient of the scalar function f at x, leaving x (and x.grad) unchanged."""
    leaf = x.detach().requires_grad_()
    f(leaf).backward()
    return leaf.grad
