def last_real_output(output, lengths):
    """Return output[lengths[b] - 1, b] for every b: shape (batch, hidden_size)."""
    index = (lengths - 1).view(1, -1, 1).expand(1, output.shape[1], output.shape[2])
    return output.gather(0, index).squeeze(0)
