def frobenius_norm(A):
    """Return sqrt(sum of the squares of all entries of the 2-D tensor A), a 0-D tensor."""
    return torch.linalg.matrix_norm(A, ord=2)
