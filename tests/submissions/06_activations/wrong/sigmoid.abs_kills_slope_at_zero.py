def sigmoid(x):
    """Return 1 / (1 + exp(-x)), elementwise, same shape and dtype as x."""
    z = torch.exp(-x.abs())
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))
