def describe(t):
    """Return {'shape': tuple, 'ndim': int, 'numel': int, 'dtype': torch.dtype} for tensor t."""
    return {"shape": t.size(), "ndim": t.ndim, "numel": t.nelement(), "dtype": t.dtype}
