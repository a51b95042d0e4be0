def linear_shapes(batch_size, in_features, out_features):
    """Return {'weight': shape, 'bias': shape, 'output': shape} (tuples) for nn.Linear on a batch."""
    return {
        "weight": (in_features, out_features),
        "bias": (out_features,),
        "output": (batch_size, out_features),
    }
