def softmax(logits, dim=-1):
    """Return the softmax of logits along dim, computed stably (subtract the max)."""
    return torch.softmax(logits, dim=dim)
