def sequence_loss(logits, targets):
    """Mean cross-entropy over all steps and sequences: logits (T, B, C), targets (T, B)."""
    loss = 0
    for t in range(logits.shape[0]):
        loss = loss + F.cross_entropy(logits[t], targets[t])
    return loss
