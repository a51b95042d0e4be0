def leaky_relu_grad(x, negative_slope=0.01):
    """Return the derivative of leaky ReLU at x: 1 where x > 0, else negative_slope, in x's dtype."""
    return torch.where(x > 0, 1.0, negative_slope)
