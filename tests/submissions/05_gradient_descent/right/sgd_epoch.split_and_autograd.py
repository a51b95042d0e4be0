def sgd_epoch(w, x, y, lr, batch_size=1, order=None):
    """One epoch of mini-batch SGD on the MSE of y ≈ w·x; return w before and after each update."""
    if order is None:
        order = torch.randperm(len(x))
    w = torch.tensor(float(w), dtype=torch.float64, requires_grad=True)
    history = [w.item()]
    for idx in order.split(batch_size):
        loss = ((w * x[idx].double() - y[idx].double()) ** 2).mean()
        (grad,) = torch.autograd.grad(loss, w)
        with torch.no_grad():
            w -= lr * grad
        history.append(w.item())
    return torch.tensor(history, dtype=torch.float64)
