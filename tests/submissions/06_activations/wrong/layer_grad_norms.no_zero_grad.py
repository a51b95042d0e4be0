def layer_grad_norms(model, x):
    """Return a 1-D tensor: norm of d(model(x).sum())/d(weight) for each nn.Linear, input side first."""
    model(x).sum().backward()
    return torch.stack([m.weight.grad.norm() for m in model.modules() if isinstance(m, nn.Linear)])
