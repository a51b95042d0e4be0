def mse(pred, target):
    """Return mean((pred[i] - target[i])**2) as a 0-D tensor; pred/target are [N] or [N, 1]."""
    return ((pred - target) ** 2).mean()
