def contiguous_strides(shape):
    """Return the strides (a tuple of ints) of a contiguous tensor of this shape."""
    strides = []
    for i in range(len(shape)):
        step = 1
        for size in shape[i:]:
            step *= size
        strides.append(step)
    return tuple(strides)
