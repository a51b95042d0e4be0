def cross_entropy(logits, targets):
    """Return the mean over the batch of -log softmax(logits)[i, targets[i]] (a 0-d tensor)."""
    mask = F.one_hot(targets, num_classes=logits.shape[1]).to(logits.dtype)
    per_sample = -(mask * log_softmax(logits, dim=1)).sum(dim=1)
    return per_sample.sum() / len(targets)
