from itertools import zip_longest


def broadcast_shape(shape_a, shape_b):
    """Return the broadcast shape of shape_a and shape_b as a tuple; raise ValueError if none."""
    result = []
    for x, y in zip_longest(reversed(shape_a), reversed(shape_b), fillvalue=1):
        if x != y and 1 not in (x, y):
            raise ValueError(f"cannot broadcast {tuple(shape_a)} with {tuple(shape_b)}")
        result.append(y if x == 1 else x)
    return tuple(reversed(result))
