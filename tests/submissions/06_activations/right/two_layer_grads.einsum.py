def two_layer_grads(x, y, W1, b1, w2, b2):
    """(dW1, db1, dw2, db2): gradients of the MSE of sigmoid(x W1^T + b1) w2 + b2 against y, by hand."""
    h = sigmoid(torch.einsum("nd,kd->nk", x, W1) + b1)
    g = (h @ w2 + b2 - y) * (2 / len(y))
    delta = torch.einsum("n,k->nk", g, w2) * sigmoid_grad(x @ W1.T + b1)
    return torch.einsum("nk,nd->kd", delta, x), delta.sum(dim=0), torch.einsum("nk,n->k", h, g), g.sum()
