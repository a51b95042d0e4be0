def vector_jacobian_product(f, x, v):
    """Return v^T J, the gradient of (v * f(x)).sum() with respect to x, shaped like x."""
    leaf = x.detach().clone().requires_grad_(True)
    f(leaf).sum().backward()
    return leaf.grad
