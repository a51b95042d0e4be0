def clip_by_norm(grad, max_norm):
    """Return grad scaled down so that its L2 norm is at most max_norm (grad is not modified)."""
    norm = grad.norm(2)
    if norm > max_norm:
        grad.mul_(max_norm / norm)
    return grad
