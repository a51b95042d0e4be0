def sequence_loss(logits, targets):
    """Mean cross-entropy over all steps and sequences: logits (T, B, C), targets (T, B)."""
    return F.cross_entropy(logits.permute(1, 2, 0), targets.T)
