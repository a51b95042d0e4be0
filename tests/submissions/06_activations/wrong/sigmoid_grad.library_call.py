def sigmoid_grad(x):
    """Return the derivative of the sigmoid at x, elementwise: sigmoid(x) * (1 - sigmoid(x))."""
    s = torch.sigmoid(x)
    return s * (1 - s)
