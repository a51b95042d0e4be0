def accuracy(model, loader, device):
    """Fraction of samples whose largest logit is at the label; eval mode, no graph; a float."""
    model.eval()
    correct, total = 0, 0
    for inputs, labels in loader:
        inputs, labels = inputs.to(device), labels.to(device)
        correct += (model(inputs).argmax(dim=1) == labels).sum().item()
        total += len(labels)
    return correct / total
