import math


def contiguous_strides(shape):
    """Return the strides (a tuple of ints) of a contiguous tensor of this shape."""
    return tuple(math.prod(shape[i + 1:]) for i in range(len(shape)))
