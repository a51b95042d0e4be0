def layer_grad_norms(model, x):
    """Return a 1-D tensor: norm of d(model(x).sum())/d(weight) for each nn.Linear, input side first."""
    weights = [layer.weight for layer in model[::2]]
    grads = torch.autograd.grad(model(x).sum(), weights)
    return torch.stack([g.norm() for g in grads])
