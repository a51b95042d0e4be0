def cross_entropy(logits, targets):
    """Return the mean over the batch of -log softmax(logits)[i, targets[i]] (a 0-d tensor)."""
    return F.cross_entropy(logits, targets)
