def bce_with_logits(logits, targets):
    """Mean binary cross-entropy of raw logits against targets in [0, 1]; stable for any logit."""
    p = torch.sigmoid(logits)
    return -(targets * torch.log(p) + (1 - targets) * torch.log(1 - p)).mean()
