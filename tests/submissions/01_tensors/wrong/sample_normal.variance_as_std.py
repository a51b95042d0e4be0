def sample_normal(mean, variance):
    """Return samples from N(mean[i], variance[i]), one per element, same shape as mean."""
    return torch.normal(mean, variance)
