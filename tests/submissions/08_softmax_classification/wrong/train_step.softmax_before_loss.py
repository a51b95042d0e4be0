def train_step(model, optimizer, images, labels):
    """One optimisation step with cross-entropy on raw logits; return the loss (a float)."""
    optimizer.zero_grad()
    probabilities = torch.softmax(model(images), dim=1)
    loss = nn.CrossEntropyLoss()(probabilities, labels)
    loss.backward()
    optimizer.step()
    return loss.item()
