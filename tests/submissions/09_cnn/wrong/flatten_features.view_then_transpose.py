def flatten_features(x):
    """Return x [N, ...] as [N, everything else], row i = x[i].flatten()."""
    return x.view(-1, x.shape[0]).t()
