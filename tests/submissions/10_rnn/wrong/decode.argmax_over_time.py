def decode(logits, index_to_char):
    """Return one string per sequence: the best character at every step of logits (T, B, C)."""
    best = logits.argmax(dim=0)
    return ["".join(index_to_char[i] for i in row.tolist()) for row in best]
