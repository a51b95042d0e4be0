def contiguous_strides(shape):
    """Return the strides (a tuple of ints) of a contiguous tensor of this shape."""
    strides = []
    step = 1
    for size in shape:
        strides.append(step)
        step *= size
    return tuple(strides)
