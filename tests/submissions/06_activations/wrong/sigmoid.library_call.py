def sigmoid(x):
    """Return 1 / (1 + exp(-x)), elementwise, same shape and dtype as x."""
    return torch.sigmoid(x)
