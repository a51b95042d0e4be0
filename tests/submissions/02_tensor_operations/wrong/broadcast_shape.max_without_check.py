def broadcast_shape(shape_a, shape_b):
    """Return the broadcast shape of shape_a and shape_b as a tuple; raise ValueError if none."""
    ndim = max(len(shape_a), len(shape_b))
    a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    return tuple(max(size_a, size_b) for size_a, size_b in zip(a, b, strict=True))
