def sgd_epoch(w, x, y, lr, batch_size=1, order=None):
    """One epoch of mini-batch SGD on the MSE of y ≈ w·x; return w before and after each update."""
    w = float(w)
    history = [w]
    for i in range(0, len(x), batch_size):
        xb, yb = x[i : i + batch_size], y[i : i + batch_size]
        w = w - lr * float(2 * (xb * (w * xb - yb)).mean())
        history.append(w)
    return torch.tensor(history)
