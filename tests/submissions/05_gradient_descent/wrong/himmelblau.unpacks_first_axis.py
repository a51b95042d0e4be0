def himmelblau(xy):
    """Himmelblau's function (x**2 + y - 11)**2 + (x + y**2 - 7)**2 for points xy [..., 2]."""
    x, y = xy[0], xy[1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
