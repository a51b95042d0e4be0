def relu_grad(x):
    """Return the derivative of ReLU at x: 1.0 where x > 0, else 0.0, in x's dtype."""
    x[x > 0] = 1
    x[x <= 0] = 0
    return x
