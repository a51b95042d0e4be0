def broadcast_shape(shape_a, shape_b):
    """Return the broadcast shape of shape_a and shape_b as a tuple; raise ValueError if none."""
    try:
        return tuple(torch.broadcast_shapes(shape_a, shape_b))
    except RuntimeError as error:
        raise ValueError(str(error)) from None
