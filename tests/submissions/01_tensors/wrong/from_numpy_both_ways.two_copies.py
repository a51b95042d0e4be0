def from_numpy_both_ways(a):
    """Return (shared, copied): a tensor sharing memory with array a, and an independent copy."""
    return torch.tensor(a), torch.tensor(a)
