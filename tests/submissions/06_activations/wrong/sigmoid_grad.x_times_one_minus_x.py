def sigmoid_grad(x):
    """Return the derivative of the sigmoid at x, elementwise: sigmoid(x) * (1 - sigmoid(x))."""
    return x * (1 - x)
