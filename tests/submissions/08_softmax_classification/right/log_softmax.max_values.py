def log_softmax(logits, dim=-1):
    """Return log(softmax(logits)) along dim, computed stably in log space."""
    m = torch.max(logits, dim, keepdim=True)[0]
    log_sum_exp = m + torch.log(torch.sum(torch.exp(logits - m), dim, keepdim=True))
    return logits - log_sum_exp
