def leaky_relu_grad(x, negative_slope=0.01):
    """Return the derivative of leaky ReLU at x: 1 where x > 0, else negative_slope, in x's dtype."""
    positive = (x > 0).to(x.dtype)
    return positive + negative_slope * (1 - positive)
