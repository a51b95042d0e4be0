def unroll(cell, inputs, h0=None):
    """Run nn.RNNCell cell over inputs (seq_len, batch, input_size); return all hidden states."""
    seq_len, batch, _ = inputs.shape
    h = h0[:1] if h0 is not None else torch.zeros(1, cell.hidden_size, dtype=inputs.dtype, device=inputs.device)
    words = []
    for b in range(batch):  # one word at a time; h is never reset, so word b starts where word b-1 ended
        states = []
        for t in range(seq_len):
            h = cell(inputs[t, b : b + 1], h)
            states.append(h[0])
        words.append(torch.stack(states))
    return torch.stack(words, dim=1)
