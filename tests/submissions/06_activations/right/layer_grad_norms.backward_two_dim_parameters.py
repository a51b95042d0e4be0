def layer_grad_norms(model, x):
    """Return a 1-D tensor: norm of d(model(x).sum())/d(weight) for each nn.Linear, input side first."""
    model.zero_grad()
    model(x).sum().backward()
    return torch.stack([p.grad.norm() for p in model.parameters() if p.dim() == 2])
