def row_normalize(a):
    """Return a new tensor: each row of the 2-D tensor a divided by that row's sum."""
    return a / a.sum(dim=1)
