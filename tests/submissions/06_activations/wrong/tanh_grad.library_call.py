def tanh_grad(x):
    """Return the derivative of tanh at x, elementwise: 1 - tanh(x) ** 2."""
    return 1 - torch.tanh(x) ** 2
