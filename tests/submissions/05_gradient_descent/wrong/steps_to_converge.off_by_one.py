def steps_to_converge(path, target, tol=1e-3):
    """Smallest k with ||path[k] - target|| < tol, as an int; None if the path never gets there."""
    for k, point in enumerate(path):
        if (point - target).norm() < tol:
            return k + 1
    return None
