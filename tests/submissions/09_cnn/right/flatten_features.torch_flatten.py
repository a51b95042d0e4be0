def flatten_features(x):
    """Return x [N, ...] as [N, everything else], row i = x[i].flatten()."""
    return torch.flatten(x, start_dim=1)
