def clip_by_norm(grad, max_norm):
    """Return grad scaled down so that its L2 norm is at most max_norm (grad is not modified)."""
    scale = (max_norm / grad.norm(p=1)).clamp(max=1.0)
    return grad * scale
