def himmelblau(xy):
    """Himmelblau's function (x**2 + y - 11)**2 + (x + y**2 - 7)**2 for points xy [..., 2]."""
    x, y = xy.to(torch.float32).unbind(-1)
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
