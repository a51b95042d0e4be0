def solid_color_batch(color, n, h, w):
    """Return an independent [n, C, h, w] tensor whose every pixel has the colour color [C]."""
    return color.view(1, -1, 1, 1).expand(n, -1, h, w)
