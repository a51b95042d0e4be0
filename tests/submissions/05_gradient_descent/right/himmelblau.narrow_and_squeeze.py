def himmelblau(xy):
    """Himmelblau's function (x**2 + y - 11)**2 + (x + y**2 - 7)**2 for points xy [..., 2]."""
    x = xy.narrow(-1, 0, 1).squeeze(-1)
    y = xy.narrow(-1, 1, 1).squeeze(-1)
    return (x.pow(2) + y - 11).pow(2) + (x + y.pow(2) - 7).pow(2)
