def solid_color_batch(color, n, h, w):
    """Return an independent [n, C, h, w] tensor whose every pixel has the colour color [C]."""
    return color.repeat(n, 1, h, w)
