def evaluate(model, features, labels):
    """Return (probabilities [N], accuracy float) of a logit model, in eval mode and without a graph."""
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        logits = model(features).flatten()
    model.train(was_training)
    correct = (logits > 0).long() == labels.flatten().long()
    return torch.sigmoid(logits), correct.double().mean().item()
