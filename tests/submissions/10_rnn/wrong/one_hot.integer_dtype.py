def one_hot(indices, num_classes):
    """Return a float32 one-hot tensor of shape indices.shape + (num_classes,)."""
    return F.one_hot(indices, num_classes)
