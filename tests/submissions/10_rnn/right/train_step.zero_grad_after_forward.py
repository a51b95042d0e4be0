def train_step(model, optimizer, loss_fn, inputs, targets):
    """One optimisation step on (inputs, targets); return the loss before the step as a float."""
    loss = loss_fn(model(inputs), targets)
    optimizer.zero_grad(set_to_none=False)
    loss.backward()
    optimizer.step()
    return float(loss)
