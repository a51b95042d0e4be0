def interleave(a, b):
    """Return a [2N, ...] tensor with rows a[0], b[0], a[1], b[1], ... for a, b of shape [N, ...]."""
    out = torch.empty((2 * a.shape[0], *a.shape[1:]), dtype=a.dtype, device=a.device)
    out[0::2] = a
    out[1::2] = b
    return out
