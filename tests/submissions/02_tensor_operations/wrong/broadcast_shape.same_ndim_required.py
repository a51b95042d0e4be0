def broadcast_shape(shape_a, shape_b):
    """Return the broadcast shape of shape_a and shape_b as a tuple; raise ValueError if none."""
    if len(shape_a) != len(shape_b):
        raise ValueError("broadcasting needs the same number of dimensions")
    result = []
    for size_a, size_b in zip(shape_a, shape_b, strict=True):
        if size_a == size_b or size_b == 1:
            result.append(size_a)
        elif size_a == 1:
            result.append(size_b)
        else:
            raise ValueError(f"sizes {size_a} and {size_b} cannot be broadcast")
    return tuple(result)
