def add_into(x, y):
    """Add y to x in place (x's own memory changes) and return x."""
    return x.add_(y)
