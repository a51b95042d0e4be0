def relu_grad(x):
    """Return the derivative of ReLU at x: 1.0 where x > 0, else 0.0, in x's dtype."""
    return torch.where(x > 0, x, torch.zeros_like(x))
