def train_epoch(model, loader, loss_fn, optimizer):
    """Train model for one pass over loader; return the mean of the batch losses (a float)."""
    model.train()
    losses = []
    for inputs, targets in loader:
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
