def last_real_output(output, lengths):
    """Return output[lengths[b] - 1, b] for every b: shape (batch, hidden_size)."""
    return output[0]
