def leaky_relu(x, negative_slope=0.01):
    """Return x where x > 0, else negative_slope * x, as a new tensor."""
    return x.clamp(min=0) + negative_slope * x.clamp(max=0)
