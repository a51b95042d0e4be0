def train_until(model, optimizer, inputs, targets, max_steps, target_loss):
    """Steps of train_step with sequence_loss until one's loss is below target_loss (at most
    max_steps of them); return the losses of the steps taken."""
    losses = []
    for _ in range(max_steps + 1):
        losses.append(train_step(model, optimizer, sequence_loss, inputs, targets))
        if losses[-1] < target_loss:
            break
    return losses
