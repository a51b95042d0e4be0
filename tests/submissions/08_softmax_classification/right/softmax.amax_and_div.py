def softmax(logits, dim=-1):
    """Return the softmax of logits along dim, computed stably (subtract the max)."""
    top = torch.amax(logits, dim=dim, keepdim=True)
    numerators = torch.exp(torch.sub(logits, top))
    return torch.div(numerators, torch.sum(numerators, dim=dim, keepdim=True))
