def minimize(f, start, optimizer="sgd", lr=0.01, steps=100):
    """Minimise f from start with 'sgd', 'momentum' or 'adam'; return the path [steps + 1, ...]."""
    factories = {
        "sgd": lambda params: torch.optim.SGD(params, lr=lr),
        "momentum": lambda params: torch.optim.SGD(params, lr=lr, momentum=0.9),
        "adam": lambda params: torch.optim.Adam(params, lr=lr),
    }
    path = torch.empty(steps + 1, *start.shape, dtype=start.dtype, device=start.device)
    p = torch.nn.Parameter(start.detach().clone())
    opt = factories[optimizer]([p])
    path[0] = start
    for k in range(1, steps + 1):
        opt.zero_grad(set_to_none=True)
        loss = f(p).sum()
        loss.backward()
        opt.step()
        path[k] = p.detach()
    return path
