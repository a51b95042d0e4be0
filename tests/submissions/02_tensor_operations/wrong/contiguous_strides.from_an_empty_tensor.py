def contiguous_strides(shape):
    """Return the strides (a tuple of ints) of a contiguous tensor of this shape."""
    return torch.empty(shape).stride()
