def huber_grad(x, delta=1.0):
    """Return the gradient of huber(x, delta) with respect to x, from the formula for h'(x)."""
    return x.clamp(-1.0, 1.0)
