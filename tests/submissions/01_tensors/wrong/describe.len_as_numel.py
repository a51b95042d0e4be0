def describe(t):
    """Return {'shape': tuple, 'ndim': int, 'numel': int, 'dtype': torch.dtype} for tensor t."""
    return {"shape": tuple(t.shape), "ndim": t.dim(), "numel": len(t), "dtype": t.dtype}
