def train_test_accuracy(model, train_loader, test_loader, device):
    """Return {'train': accuracy on train_loader, 'test': accuracy on test_loader} as floats."""
    loaders = {"train": train_loader, "test": test_loader}
    return {split: float(accuracy(model, loader, device)) for split, loader in loaders.items()}
