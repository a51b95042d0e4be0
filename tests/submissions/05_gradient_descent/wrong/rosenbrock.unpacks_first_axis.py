def rosenbrock(xy, a=1.0, b=100.0):
    """Rosenbrock's function (a - x)**2 + b*(y - x**2)**2 for points xy of shape [..., 2]."""
    x, y = xy
    return (a - x) ** 2 + b * (y - x**2) ** 2
