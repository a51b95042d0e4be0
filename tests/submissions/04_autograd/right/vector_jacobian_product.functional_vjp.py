def vector_jacobian_product(f, x, v):
    """Return v^T J, the gradient of (v * f(x)).sum() with respect to x, shaped like x."""
    _, vjp = torch.autograd.functional.vjp(f, x.detach(), v)
    return vjp
