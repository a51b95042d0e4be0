def bce_with_logits(logits, targets):
    """Mean binary cross-entropy of raw logits against targets in [0, 1]; stable for any logit."""
    per_sample = -(targets * F.logsigmoid(logits) + (1 - targets) * F.logsigmoid(-logits))
    return per_sample.mean()
