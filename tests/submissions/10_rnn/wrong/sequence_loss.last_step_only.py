def sequence_loss(logits, targets):
    """Mean cross-entropy over all steps and sequences: logits (T, B, C), targets (T, B)."""
    return F.cross_entropy(logits[-1], targets[-1])
