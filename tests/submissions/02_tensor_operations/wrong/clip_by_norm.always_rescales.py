def clip_by_norm(grad, max_norm):
    """Return grad scaled down so that its L2 norm is at most max_norm (grad is not modified)."""
    return grad * (max_norm / grad.norm(2))
