"""Do device choice, seeding and the setup cell behave as the notebooks expect?"""

import sys
import warnings

import pytest
import torch

import course


def test_device_is_cuda_exactly_when_available(monkeypatch):
    monkeypatch.delenv("COURSE_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert course.device().type == expected
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert course.device() == torch.device("cpu")


def test_device_can_be_forced(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert course.device() == torch.device("cpu")


def test_seed_makes_torch_and_numpy_repeatable():
    import numpy as np

    course.seed(3)
    first = (torch.rand(3), np.random.rand(3))
    course.seed(3)
    second = (torch.rand(3), np.random.rand(3))
    assert torch.equal(first[0], second[0]) and (first[1] == second[1]).all()


def test_fast_mode_follows_nbgrader_and_course_flags(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_FAST", raising=False)
    assert not course.fast_mode()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert course.fast_mode()
    monkeypatch.delenv("NBGRADER_EXECUTION")
    monkeypatch.setenv("COURSE_FAST", "1")
    assert course.fast_mode()


def test_setup_sends_warnings_to_stdout(monkeypatch, capsys):
    """A warning inside a test cell must not reach stderr (nbgrader would score the cell 0)."""
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    dev = course.setup(1)
    assert dev == course.device()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("deprecated thing", UserWarning, stacklevel=1)
    out, err = capsys.readouterr()
    assert "deprecated thing" in out and err == ""
    assert f"torch {torch.__version__}" in out


def test_importing_course_has_no_side_effects():
    import subprocess

    code = (
        "import warnings, torch; before = (warnings.showwarning, torch.initial_seed());"
        "import course; assert (warnings.showwarning, torch.initial_seed()) == before"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_device_computes():
    x = torch.ones(2, device=course.device())
    assert x.device.type == "cuda" and (x + x).sum().item() == 4


@pytest.mark.parametrize("graded", [True, False])
def test_figures_are_text_only_while_nbgrader_runs_the_notebook(monkeypatch, graded):
    """Grading never looks at a picture: while nbgrader runs a notebook, setup() keeps the
    inline backend from drawing (a figure shows as its one-line text); otherwise it draws."""
    import nbformat
    from nbclient import NotebookClient

    if graded:
        monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    else:
        monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    cells = ["import course\nimport matplotlib.pyplot as plt\ncourse.setup(verbose=False)",
             "fig, ax = plt.subplots()\nax.plot([0, 1], [1, 0])\nplt.show()",
             "print(len(ax.lines), plt.get_fignums())"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    shown = [o for o in nb.cells[1].outputs if o.output_type == "display_data"]
    assert len(shown) == 1
    if graded:
        assert set(shown[0].data) == {"text/plain"}
        assert shown[0].data["text/plain"].startswith("<Figure size")
    else:
        assert "image/png" in shown[0].data
    # Built either way (a test could inspect it), and closed after its cell as usual.
    assert nb.cells[2].outputs[0].text == "1 []\n"


def test_course_data_does_not_import_torch():
    """The grader imports course.data for its settings only; torch would cost it seconds."""
    import subprocess

    code = ("import sys, course.data; assert 'torch' not in sys.modules, 'torch imported';"
            "from course import setup, device; import course; assert course.fast_mode is not None")
    subprocess.run([sys.executable, "-c", code], check=True)
