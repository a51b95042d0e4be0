def broadcast_shape(shape_a, shape_b):
    """Return the broadcast shape of shape_a and shape_b as a tuple; raise ValueError if none."""
    ndim = max(len(shape_a), len(shape_b))
    a = tuple(shape_a) + (1,) * (ndim - len(shape_a))
    b = tuple(shape_b) + (1,) * (ndim - len(shape_b))
    result = []
    for size_a, size_b in zip(a, b, strict=True):
        if size_a == size_b or size_b == 1:
            result.append(size_a)
        elif size_a == 1:
            result.append(size_b)
        else:
            raise ValueError(f"sizes {size_a} and {size_b} cannot be broadcast")
    return tuple(result)
