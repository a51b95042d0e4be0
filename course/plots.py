"""Plot helpers the notebooks share: contour maps of 2-D functions and optimizer paths on them.

Introduced in chapter 05 (gradient descent), where they draw Rosenbrock's and Himmelblau's
functions with the trajectories of SGD, momentum and Adam. Every helper takes ``ax=None``
(draw on a new figure's axes) or an existing ``matplotlib`` axes, and returns the axes it drew
on, so calls can be chained and combined with ``plt.subplots``. Importing this module changes
no global matplotlib setting.
"""

import numpy as np
import torch


def _axes(ax, figsize=(6, 4)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _numpy(points) -> np.ndarray:
    if isinstance(points, torch.Tensor):
        return points.detach().cpu().double().numpy()
    return np.asarray(points, dtype=float)


def grid(xlim, ylim, n: int = 200, dtype=torch.float64):
    """Points of an ``n`` x ``n`` grid over ``xlim`` x ``ylim``: a tensor ``[n, n, 2]``.

    ``grid(...)[i, j]`` is the point ``(x_j, y_i)``: rows go up the y axis, columns along the
    x axis, the layout ``matplotlib``'s ``contour`` expects. (Chapter 05.)
    """
    xs = torch.linspace(float(xlim[0]), float(xlim[1]), n, dtype=dtype)
    ys = torch.linspace(float(ylim[0]), float(ylim[1]), n, dtype=dtype)
    y, x = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([x, y], dim=-1)


def contour(f, xlim, ylim, ax=None, levels=30, n: int = 200, filled: bool = False,
            log: bool = False, cmap: str = "viridis", colorbar: bool = False):
    """Draw the contour lines of ``f`` over the rectangle ``xlim`` x ``ylim``; return the axes.

    ``f`` takes a tensor of points with last dimension 2, shape ``[..., 2]`` (``x`` then
    ``y``), and returns one value per point, shape ``[...]`` -- the contract of chapter 05's
    ``rosenbrock`` and ``himmelblau``. It is called once, on the float64 grid of
    :func:`grid`, without gradients. ``levels`` is a number of levels or the level values
    themselves. ``log=True`` suits positive functions with a deep, flat valley: an integer
    ``levels`` is then spread geometrically between the smallest positive value and the
    largest, and colours follow the logarithm of the value. Axes are labelled ``x`` and
    ``y``. (Chapter 05.)
    """
    from matplotlib.colors import LogNorm

    ax = _axes(ax)
    points = grid(xlim, ylim, n)
    with torch.no_grad():
        values = _numpy(f(points))
    xy = points.numpy()
    norm = None
    if log:
        positive = values[values > 0]
        if isinstance(levels, int | np.integer):
            levels = np.geomspace(positive.min(), positive.max(), levels)
        norm = LogNorm(vmin=np.min(levels), vmax=np.max(levels))
    draw = ax.contourf if filled else ax.contour
    drawn = draw(xy[..., 0], xy[..., 1], values, levels=levels, cmap=cmap, norm=norm)
    if colorbar:
        ax.figure.colorbar(drawn, ax=ax)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return ax


def path(points, ax=None, label=None, color=None, marker: str = "o", markersize: float = 2.5):
    """Draw an optimizer's trajectory ``points`` (shape ``[steps + 1, 2]``); return the axes.

    One line through the points, a small marker at each step, and a larger hollow circle at
    the start, so you see where the optimizer began and how far each step went. ``points``
    may be a tensor (on any device, with or without gradients), an array or a list of pairs.
    (Chapter 05.)
    """
    ax = _axes(ax)
    xy = _numpy(points).reshape(-1, 2)
    (line,) = ax.plot(xy[:, 0], xy[:, 1], marker=marker, markersize=markersize, linewidth=1.2,
                      color=color, label=label)
    ax.plot(xy[:1, 0], xy[:1, 1], marker="o", markersize=8, fillstyle="none",
            linestyle="none", color=line.get_color())
    return ax


def mark(points, ax=None, label=None, color: str = "red", marker: str = "*", size: float = 12):
    """Mark special points, e.g. the minima of a function, with stars; return the axes.

    ``points`` has shape ``[k, 2]`` (or ``[2]`` for a single point). (Chapter 05.)
    """
    ax = _axes(ax)
    xy = _numpy(points).reshape(-1, 2)
    ax.plot(xy[:, 0], xy[:, 1], linestyle="none", marker=marker, markersize=size, color=color,
            markeredgecolor="black", label=label)
    return ax
