def rnn_cell_by_hand(cell, x, h):
    """Return tanh(W_ih x + b_ih + W_hh h + b_hh) for a batch, using nn.RNNCell cell's weights."""
    return torch.tanh(x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T)
