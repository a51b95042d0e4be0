def vector_jacobian_product(f, x, v):
    """Return v^T J, the gradient of (v * f(x)).sum() with respect to x, shaped like x."""
    if not x.requires_grad:
        x = x.detach().clone().requires_grad_(True)
    f(x).backward(gradient=v)
    return x.grad
