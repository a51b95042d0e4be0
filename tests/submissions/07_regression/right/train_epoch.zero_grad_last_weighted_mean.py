def train_epoch(model, loader, loss_fn, optimizer):
    """Train model for one pass over loader; return the mean of the batch losses (a float)."""
    model.train()
    total, count = 0.0, 0
    for inputs, targets in loader:
        predictions = model(inputs)
        loss = loss_fn(predictions, targets)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        total += loss.item() * len(inputs)
        count += len(inputs)
    return total / count
