def train_step(model, optimizer, images, labels):
    """One optimisation step with cross-entropy on raw logits; return the loss (a float)."""
    optimizer.zero_grad()
    loss = nn.NLLLoss()(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()
