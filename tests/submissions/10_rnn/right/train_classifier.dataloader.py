def train_classifier(model, optimizer, x, lengths, y, epochs, batch_size):
    """Mini-batch training with shuffling; return the mean training loss of every epoch."""
    from torch.utils.data import DataLoader

    loader = DataLoader(torch.arange(len(y)), batch_size=batch_size, shuffle=True)
    history = []
    for _ in range(epochs):
        model.train()
        batch_losses = []
        for idx in loader:
            idx = idx.to(y.device)
            logits = model(x[:, idx], lengths[idx])
            loss = F.cross_entropy(logits, y[idx], reduction="sum")
            optimizer.zero_grad()
            (loss / len(idx)).backward()
            optimizer.step()
            batch_losses.append(loss.item())
        history.append(sum(batch_losses) / len(y))
    return history
