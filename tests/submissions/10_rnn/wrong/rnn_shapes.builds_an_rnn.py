def rnn_shapes(seq_len, batch, input_size, hidden_size, num_layers=1, batch_first=False):
    """Return {'input': tuple, 'output': tuple, 'hidden': tuple}: the shapes nn.RNN uses."""
    net = nn.RNN(input_size, hidden_size, num_layers=num_layers, batch_first=batch_first)
    shape_in = (batch, seq_len, input_size) if batch_first else (seq_len, batch, input_size)
    out, h_last = net(torch.zeros(shape_in))
    return {"input": shape_in, "output": tuple(out.shape), "hidden": tuple(h_last.shape)}
