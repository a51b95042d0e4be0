def rnn_shapes(seq_len, batch, input_size, hidden_size, num_layers=1, batch_first=False):
    """Return {'input': tuple, 'output': tuple, 'hidden': tuple}: the shapes nn.RNN uses."""
    if batch_first:
        return {"input": (batch, seq_len, input_size), "output": (batch, seq_len, hidden_size),
                "hidden": (batch, hidden_size)}
    return {"input": (seq_len, batch, input_size), "output": (seq_len, batch, hidden_size),
            "hidden": (batch, hidden_size)}
