def sigmoid(x):
    """Return 1 / (1 + exp(-x)), elementwise, same shape and dtype as x."""
    e = torch.exp(x)
    return e / (1 + e)
