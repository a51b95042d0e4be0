def predict(X, w, b):
    """Return X @ w + b: one prediction per row of X, shape (n,)."""
    return torch.mv(X.T, w) + b
