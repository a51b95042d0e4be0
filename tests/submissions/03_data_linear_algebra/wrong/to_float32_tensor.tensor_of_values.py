def to_float32_tensor(frame):
    """Return the values of a DataFrame (2-D) or Series (1-D) as a float32 tensor."""
    return torch.tensor(frame.values)
