def standardize(train, test):
    """Return (train_scaled, test_scaled), both standardised with the column mean and std of train."""
    mean = train.mean(dim=0, keepdim=True)
    std = ((train - mean) ** 2).mean(dim=0, keepdim=True).sqrt()
    return (train - mean) / std, (test - mean) / std
