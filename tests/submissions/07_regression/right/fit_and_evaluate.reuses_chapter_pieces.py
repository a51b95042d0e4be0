def fit_and_evaluate(train_x, train_y, test_x, test_y, epochs=20, lr=0.1, batch_size=32, seed=0):
    """Train a logistic regression on (train_x, train_y); return (model, accuracy on test_x, test_y)."""
    course.seed(seed)
    loader = DataLoader(TableDataset(train_x, train_y.reshape(-1, 1)), batch_size=batch_size, shuffle=True)
    model = LogisticRegression(train_x.shape[1]).to(train_x.device)
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        train_epoch(model, loader, loss_fn, optimizer)
    return model, evaluate(model, test_x, test_y)[1]
