def standardize(train, test):
    """Return (train_scaled, test_scaled), both standardised with the column mean and std of train."""
    train_scaled = (train - train.mean(dim=0)) / train.std(dim=0)
    test_scaled = (test - test.mean(dim=0)) / test.std(dim=0)
    return train_scaled, test_scaled
