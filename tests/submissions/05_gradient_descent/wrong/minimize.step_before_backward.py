def minimize(f, start, optimizer="sgd", lr=0.01, steps=100):
    """Minimise f from start with 'sgd', 'momentum' or 'adam'; return the path [steps + 1, ...]."""
    p = start.detach().clone().requires_grad_(True)
    if optimizer == "sgd":
        opt = torch.optim.SGD([p], lr=lr)
    elif optimizer == "momentum":
        opt = torch.optim.SGD([p], lr=lr, momentum=0.9)
    else:
        opt = torch.optim.Adam([p], lr=lr)
    path = [p.detach().clone()]
    for _ in range(steps):
        opt.step()
        opt.zero_grad()
        f(p).sum().backward()
        path.append(p.detach().clone())
    return torch.stack(path)
