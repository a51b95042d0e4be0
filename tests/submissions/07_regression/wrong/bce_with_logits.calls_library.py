def bce_with_logits(logits, targets):
    """Mean binary cross-entropy of raw logits against targets in [0, 1]; stable for any logit."""
    return nn.BCEWithLogitsLoss()(logits, targets)
