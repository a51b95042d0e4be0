def unroll(cell, inputs, h0=None):
    """Run nn.RNNCell cell over inputs (seq_len, batch, input_size); return all hidden states."""
    h = h0 if h0 is not None else torch.zeros(inputs.shape[1], cell.hidden_size, dtype=inputs.dtype,
                                              device=inputs.device)
    states = []
    for t in range(inputs.shape[0]):
        h = cell(inputs[t], h)
        states.append(h)
    return torch.stack(states, dim=1)
