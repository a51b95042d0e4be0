def sigmoid_grad(x):
    """Return the derivative of the sigmoid at x, elementwise: sigmoid(x) * (1 - sigmoid(x))."""
    e = torch.exp(-x)
    return e / (1 + e) ** 2
