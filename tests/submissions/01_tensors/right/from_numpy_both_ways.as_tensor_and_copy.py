def from_numpy_both_ways(a):
    """Return (shared, copied): a tensor sharing memory with array a, and an independent copy."""
    return torch.as_tensor(a), torch.from_numpy(a.copy())
