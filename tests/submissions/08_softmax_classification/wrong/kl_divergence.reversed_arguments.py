def kl_divergence(p, q):
    """Return KL(p || q) along the last dim, with 0 * log 0 counted as 0."""
    return torch.special.xlogy(q, q).sum(dim=-1) - torch.special.xlogy(q, p).sum(dim=-1)
