def rnn_shapes(seq_len, batch, input_size, hidden_size, num_layers=1, batch_first=False):
    """Return {'input': tuple, 'output': tuple, 'hidden': tuple}: the shapes nn.RNN uses."""
    shapes = {"input": [seq_len, batch, input_size], "output": [seq_len, batch, hidden_size]}
    if batch_first:
        shapes = {k: [v[1], v[0], v[2]] for k, v in shapes.items()}
    shapes = {k: tuple(v) for k, v in shapes.items()}
    shapes["hidden"] = (num_layers, batch, hidden_size)
    return shapes
