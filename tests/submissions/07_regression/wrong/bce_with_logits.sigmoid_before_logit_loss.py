def bce_with_logits(logits, targets):
    """Mean binary cross-entropy of raw logits against targets in [0, 1]; stable for any logit."""
    p = torch.sigmoid(logits)
    return (p.clamp(min=0) - p * targets + torch.log1p(torch.exp(-p.abs()))).mean()
