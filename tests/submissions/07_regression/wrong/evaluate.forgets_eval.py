def evaluate(model, features, labels):
    """Return (probabilities [N], accuracy float) of a logit model, in eval mode and without a graph."""
    with torch.no_grad():
        probabilities = torch.sigmoid(model(features)).reshape(-1)
    predictions = (probabilities >= 0.5).float()
    accuracy = (predictions == labels.reshape(-1).float()).float().mean().item()
    return probabilities, accuracy
