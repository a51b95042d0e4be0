def add_into(x, y):
    """Add y to x in place (x's own memory changes) and return x."""
    x = x + y
    return x
