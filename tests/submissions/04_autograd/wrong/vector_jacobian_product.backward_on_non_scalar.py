def vector_jacobian_product(f, x, v):
    """Return v^T J, the gradient of (v * f(x)).sum() with respect to x, shaped like x."""
    leaf = x.detach().clone().requires_grad_(True)
    y = f(leaf)
    y.backward()
    return v.sum() * leaf.grad
