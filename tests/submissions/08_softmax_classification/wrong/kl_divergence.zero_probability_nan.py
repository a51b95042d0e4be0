def kl_divergence(p, q):
    """Return KL(p || q) along the last dim, with 0 * log 0 counted as 0."""
    return (p * torch.log(p / q)).sum(dim=-1)
