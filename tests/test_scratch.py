"""Does `forbid` stop library shortcuts in from-scratch exercises, and restore them after?"""

import pytest
import torch
import torch.nn.functional as F

from course.scratch import ForbiddenCall, forbid

SOFTMAX = ("torch.softmax", "torch.Tensor.softmax", "torch.nn.functional.softmax")


def scratch_softmax(x):
    e = (x - x.max(dim=-1, keepdim=True).values).exp()
    return e / e.sum(dim=-1, keepdim=True)


def test_from_scratch_code_still_runs():
    x = torch.randn(3, 4)
    with forbid(*SOFTMAX):
        got = scratch_softmax(x)
    torch.testing.assert_close(got, torch.softmax(x, dim=-1))


@pytest.mark.parametrize(
    "shortcut",
    [lambda x: torch.softmax(x, -1), lambda x: x.softmax(-1), lambda x: F.softmax(x, dim=-1),
     lambda x: torch.nn.Softmax(dim=-1)(x)],
)
def test_library_shortcuts_raise(shortcut):
    with forbid(*SOFTMAX), pytest.raises(ForbiddenCall, match="implement it from scratch"):
        shortcut(torch.randn(2, 3))


def test_names_bound_in_the_notebook_are_covered():
    from torch.nn.functional import softmax

    namespace = {"softmax": softmax, "other": 1}
    with forbid(*SOFTMAX, namespace=namespace):
        with pytest.raises(ForbiddenCall):
            namespace["softmax"](torch.randn(2), dim=0)
        assert namespace["other"] == 1
    assert namespace["softmax"] is softmax


def test_everything_is_restored_even_after_an_error():
    originals = (torch.softmax, torch.Tensor.softmax, F.softmax, F.conv2d, torch.nn.Conv2d)
    with pytest.raises(RuntimeError), forbid(*SOFTMAX, "torch.nn.functional.conv2d", "torch.nn.Conv2d"):
        raise RuntimeError("student code crashed")
    assert (torch.softmax, torch.Tensor.softmax, F.softmax, F.conv2d, torch.nn.Conv2d) == originals


def test_forbidding_a_layer_class():
    with forbid("torch.nn.Conv2d"), pytest.raises(ForbiddenCall):
        torch.nn.Conv2d(1, 1, 3)
    assert isinstance(torch.nn.Conv2d(1, 1, 3), torch.nn.Module)


def test_unknown_routine_is_an_error():
    with pytest.raises((ValueError, AttributeError)), forbid("torch.no_such_function"):
        pass
