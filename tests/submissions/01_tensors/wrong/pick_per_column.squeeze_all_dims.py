def pick_per_column(values, rows):
    """Return values[rows[j], j] for every column j, as a 1-D tensor of length C."""
    return values.gather(0, rows.unsqueeze(0)).squeeze()
