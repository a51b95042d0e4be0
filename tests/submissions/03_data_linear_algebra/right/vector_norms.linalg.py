def vector_norms(x):
    """Return (L1 norm, L2 norm) of the 1-D tensor x, each a 0-D tensor."""
    return torch.linalg.vector_norm(x, ord=1), torch.linalg.vector_norm(x)
