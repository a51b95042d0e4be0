def train_test_accuracy(model, train_loader, test_loader, device):
    """Return {'train': accuracy on train_loader, 'test': accuracy on test_loader} as floats."""
    return {"train": accuracy(model, test_loader, device), "test": accuracy(model, train_loader, device)}
