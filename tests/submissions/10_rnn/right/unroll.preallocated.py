def unroll(cell, inputs, h0=None):
    """Run nn.RNNCell cell over inputs (seq_len, batch, input_size); return all hidden states."""
    seq_len, batch, _ = inputs.shape
    h = inputs.new_zeros(batch, cell.hidden_size) if h0 is None else h0
    states = inputs.new_empty(seq_len, batch, cell.hidden_size)
    for t in range(seq_len):
        h = cell(inputs[t], h)
        states[t] = h
    return states
