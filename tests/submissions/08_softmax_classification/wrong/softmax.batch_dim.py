def softmax(logits, dim=-1):
    """Return the softmax of logits along dim, computed stably (subtract the max)."""
    shifted = logits - logits.max(dim=0, keepdim=True).values
    exps = shifted.exp()
    return exps / exps.sum(dim=0, keepdim=True)
