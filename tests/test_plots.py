"""Do the plot helpers of course.plots draw what they promise, on the axes they are given?"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from course import plots

matplotlib.use("Agg")


def bowl(xy):
    return (xy[..., 0] - 1) ** 2 + 2 * (xy[..., 1] + 0.5) ** 2


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_import_changes_no_rcparams():
    """Does importing course.plots leave matplotlib's global settings alone?"""
    import importlib

    before = dict(matplotlib.rcParams)
    importlib.reload(plots)
    assert dict(matplotlib.rcParams) == before


def test_grid_layout():
    """Is grid()[i, j] the point (x_j, y_i), covering both ranges, in float64?"""
    g = plots.grid((-1, 3), (0, 2), n=5)
    assert g.shape == (5, 5, 2) and g.dtype == torch.float64
    assert torch.equal(g[0, 0], torch.tensor([-1.0, 0.0], dtype=torch.float64))
    assert torch.equal(g[0, -1], torch.tensor([3.0, 0.0], dtype=torch.float64))
    assert torch.equal(g[-1, 0], torch.tensor([-1.0, 2.0], dtype=torch.float64))


def test_contour_draws_on_given_axes_and_labels_them():
    """Does contour() draw on the axes it is given, with the requested levels, and return them?"""
    fig, ax = plt.subplots()
    calls = []

    def f(xy):
        calls.append(xy.shape)
        return bowl(xy)

    out = plots.contour(f, (-2, 3), (-2, 1), ax=ax, levels=[0.5, 1, 2, 4], n=50)
    assert out is ax
    assert calls == [torch.Size([50, 50, 2])], "f is called once on the whole grid"
    drawn = ax.collections[-1]
    assert list(drawn.levels) == [0.5, 1, 2, 4]
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    assert ax.get_xlim() == (-2.0, 3.0) and ax.get_ylim() == (-2.0, 1.0)


def test_contour_makes_axes_and_fills():
    """Without ax, does contour() create axes; does filled=True with colorbar add one?"""
    ax = plots.contour(bowl, (-1, 1), (-1, 1), levels=5, filled=True, colorbar=True, n=20)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.figure.axes) == 2, "the colorbar adds a second axes"


def test_contour_log_levels():
    """With log=True, are integer levels spread geometrically and coloured on a log scale?"""
    fig, ax = plt.subplots()
    plots.contour(lambda xy: 1 + bowl(xy), (-2, 3), (-2, 1), ax=ax, levels=6, log=True, n=60)
    drawn = ax.collections[-1]
    ratios = drawn.levels[1:] / drawn.levels[:-1]
    assert len(drawn.levels) == 6
    np.testing.assert_allclose(ratios, ratios[0], err_msg="levels form a geometric sequence")
    assert isinstance(drawn.norm, matplotlib.colors.LogNorm)
    plots.contour(bowl, (-2, 3), (-2, 1), ax=ax, levels=[0.1, 1, 10], log=True, n=20)
    assert list(ax.collections[-1].levels) == [0.1, 1, 10], "explicit levels are kept"


def test_contour_accepts_functions_that_need_gradients_off():
    """Is f evaluated without autograd (so a .numpy() on its result works)?"""
    seen = []

    def f(xy):
        seen.append(torch.is_grad_enabled())
        return bowl(xy)

    plots.contour(f, (0, 1), (0, 1), n=10)
    assert seen == [False]


def test_path_draws_line_markers_and_start():
    """Does path() draw one line through all points plus a start marker, with its label?"""
    fig, ax = plt.subplots()
    points = torch.tensor([[0.0, 0.0], [1.0, 0.5], [1.5, 0.7]], requires_grad=True)
    out = plots.path(points, ax=ax, label="sgd")
    assert out is ax
    lines = ax.get_lines()
    assert len(lines) == 2, "the trajectory and the start marker"
    np.testing.assert_allclose(lines[0].get_xydata(), points.detach().numpy())
    assert lines[0].get_marker() == "o" and lines[0].get_label() == "sgd"
    np.testing.assert_allclose(lines[1].get_xydata(), [[0.0, 0.0]])
    assert lines[1].get_color() == lines[0].get_color()
    ax.legend()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sgd"], "one legend entry"


def test_path_accepts_lists_and_new_axes():
    """Does path() take a list of pairs and make its own axes when none is given?"""
    ax = plots.path([(0, 1), (2, 3)], color="black")
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.get_lines()) == 2


def test_mark_draws_one_marker_per_point():
    """Does mark() draw a star per point, without connecting them?"""
    fig, ax = plt.subplots()
    minima = torch.tensor([[3.0, 2.0], [-2.8, 3.1], [-3.8, -3.3], [3.6, -1.8]])
    assert plots.mark(minima, ax=ax, label="minima") is ax
    (line,) = ax.get_lines()
    assert line.get_marker() == "*" and line.get_linestyle() == "None"
    assert line.get_xydata().shape == (4, 2)
    plots.mark(torch.tensor([1.0, 1.0]), ax=ax)
    assert ax.get_lines()[-1].get_xydata().shape == (1, 2), "a single point [2] works too"
