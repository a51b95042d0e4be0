def linear_shapes(batch_size, in_features, out_features):
    """Return {'weight': shape, 'bias': shape, 'output': shape} (tuples) for nn.Linear on a batch."""
    return {
        "weight": (out_features, in_features),
        "bias": (batch_size, out_features),
        "output": (batch_size, out_features),
    }
