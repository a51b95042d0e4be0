def at_least(x, threshold):
    """Return the elements of x that are >= threshold, as a 1-D tensor in row-major order."""
    return torch.masked_select(x, x.ge(threshold))
