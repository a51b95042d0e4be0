def steps_to_converge(path, target, tol=1e-3):
    """Smallest k with ||path[k] - target|| < tol, as an int; None if the path never gets there."""
    for k in range(len(path)):
        if torch.linalg.vector_norm(path[k] - target).item() < tol:
            return k
    return None
