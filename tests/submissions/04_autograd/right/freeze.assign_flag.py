def freeze(params, trainable):
    """Make exactly the parameters named in trainable require grad; clear the others' .grad."""
    for name, p in params.items():
        p.requires_grad = name in trainable
        if not p.requires_grad:
            p.grad = None
