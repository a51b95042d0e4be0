def train_step(model, optimizer, images, labels):
    """One optimisation step with cross-entropy on raw logits; return the loss (a float)."""
    logits = model(images)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return float(loss)
