def sgd_epoch(w, x, y, lr, batch_size=1, order=None):
    """One epoch of mini-batch SGD on the MSE of y ≈ w·x; return w before and after each update."""
    if order is None:
        order = torch.randperm(len(x))
    w0 = float(w)
    w = w0
    history = [w]
    for i in range(0, len(order), batch_size):
        idx = order[i : i + batch_size]
        xb, yb = x[idx], y[idx]
        w = w - lr * float(2 * (xb * (w0 * xb - yb)).mean())
        history.append(w)
    return torch.tensor(history)
