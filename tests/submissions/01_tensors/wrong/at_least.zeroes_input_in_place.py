def at_least(x, threshold):
    """Return the elements of x that are >= threshold, as a 1-D tensor in row-major order."""
    x[x < threshold] = 0
    return x[x != 0]
