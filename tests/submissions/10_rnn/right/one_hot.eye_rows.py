def one_hot(indices, num_classes):
    """Return a float32 one-hot tensor of shape indices.shape + (num_classes,)."""
    return torch.eye(num_classes, device=indices.device)[indices]
