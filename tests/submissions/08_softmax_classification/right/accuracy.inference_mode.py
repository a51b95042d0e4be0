def accuracy(model, loader, device):
    """Fraction of samples whose largest logit is at the label; eval mode, no graph; a float."""
    was_training = model.training
    model.eval()
    hits = []
    with torch.inference_mode():
        for inputs, labels in loader:
            predictions = model(inputs.to(device)).max(dim=1).indices
            hits.append(predictions.eq(labels.to(device)))
    model.train(was_training)
    return torch.cat(hits).float().mean().item()
