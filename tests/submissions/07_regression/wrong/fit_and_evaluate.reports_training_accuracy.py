def fit_and_evaluate(train_x, train_y, test_x, test_y, epochs=20, lr=0.1, batch_size=32, seed=0):
    """Train a logistic regression on (train_x, train_y); return (model, accuracy on test_x, test_y)."""
    course.seed(seed)
    targets = train_y.reshape(-1, 1).float()
    loader = DataLoader(TensorDataset(train_x, targets), batch_size=batch_size, shuffle=True)
    model = nn.Linear(train_x.shape[1], 1).to(train_x.device)
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        for inputs, batch_targets in loader:
            loss = loss_fn(model(inputs), batch_targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        predictions = (model(train_x).reshape(-1) > 0).float()
    return model, (predictions == train_y.reshape(-1).float()).float().mean().item()
