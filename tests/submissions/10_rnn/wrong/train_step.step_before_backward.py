def train_step(model, optimizer, loss_fn, inputs, targets):
    """One optimisation step on (inputs, targets); return the loss before the step as a float."""
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    optimizer.step()
    loss.backward()
    return loss.item()
