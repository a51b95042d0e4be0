def log_softmax(logits, dim=-1):
    """Return log(softmax(logits)) along dim, computed stably in log space."""
    return torch.log(softmax(logits, dim=dim))
