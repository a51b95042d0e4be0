def layer_grad_norms(model, x):
    """Return a 1-D tensor: norm of d(model(x).sum())/d(weight) for each nn.Linear, input side first."""
    params = list(model.parameters())
    grads = torch.autograd.grad(model(x).sum(), params)
    return torch.stack([g.norm() for g in grads])
