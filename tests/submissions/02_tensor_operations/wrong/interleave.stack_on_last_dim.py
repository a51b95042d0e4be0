def interleave(a, b):
    """Return a [2N, ...] tensor with rows a[0], b[0], a[1], b[1], ... for a, b of shape [N, ...]."""
    return torch.stack([a, b], dim=-1).reshape(-1, *a.shape[1:])
