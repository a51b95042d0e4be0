def train_classifier(model, optimizer, x, lengths, y, epochs, batch_size):
    """Mini-batch training with shuffling; return the mean training loss of every epoch."""
    n = y.shape[0]
    history = []
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n, device=y.device)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            loss = F.cross_entropy(model(x[:, idx], lengths[idx]), y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        history.append(total / n)
    return history
