def mse_grad(w, x, y):
    """Return d/dw of mean((w*x - y)**2) as a 0-d tensor, computed by hand."""
    return 2 * (x * (w * x - y)).sum()
