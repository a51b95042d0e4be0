def cross_entropy(logits, targets):
    """Return the mean over the batch of -log softmax(logits)[i, targets[i]] (a 0-d tensor)."""
    one_hot = F.one_hot(targets, num_classes=logits.shape[1])
    return -(one_hot * log_softmax(logits, dim=1)).mean()
