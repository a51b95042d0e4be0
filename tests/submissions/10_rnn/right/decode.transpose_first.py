def decode(logits, index_to_char):
    """Return one string per sequence: the best character at every step of logits (T, B, C)."""
    per_sequence = logits.transpose(0, 1).argmax(dim=2)     # (batch, seq_len)
    return ["".join(index_to_char[int(i)] for i in row) for row in per_sequence]
