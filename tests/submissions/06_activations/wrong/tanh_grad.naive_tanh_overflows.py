def tanh_grad(x):
    """Return the derivative of tanh at x, elementwise: 1 - tanh(x) ** 2."""
    t = (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))
    return 1 - t**2
