def cross_entropy(logits, targets):
    """Return the mean over the batch of -log softmax(logits)[i, targets[i]] (a 0-d tensor)."""
    log_probs = log_softmax(logits, dim=1)
    return -log_probs[torch.arange(len(targets)), targets].sum()
