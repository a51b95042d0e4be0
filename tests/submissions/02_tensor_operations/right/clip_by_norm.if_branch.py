def clip_by_norm(grad, max_norm):
    """Return grad scaled down so that its L2 norm is at most max_norm (grad is not modified)."""
    norm = torch.linalg.vector_norm(grad)
    if norm > max_norm:
        return grad * (max_norm / (norm + 1e-6))
    return grad.clone()
