def kl_divergence(p, q):
    """Return KL(p || q) along the last dim, with 0 * log 0 counted as 0."""
    return (torch.special.xlogy(p, p) - torch.special.xlogy(p, q)).sum(dim=-1)
