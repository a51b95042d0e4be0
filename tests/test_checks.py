"""Do the visible-test helpers pass right answers and explain wrong ones?"""

import pytest
import torch

from course.checks import (
    check_close,
    check_dtype,
    check_equal,
    check_inputs_unchanged,
    check_shape,
    check_tensor,
)


def test_check_equal():
    check_equal((2, 3), (2, 3))
    with pytest.raises(AssertionError, match=r"answer: expected \(2, 3\), got \(3, 2\)"):
        check_equal((3, 2), (2, 3), "answer")


class _AlwaysEqual:
    """What a student could return to pass any comparison with ``==``."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


@pytest.mark.parametrize("liar", [_AlwaysEqual(), {"shape": _AlwaysEqual()}, [1, _AlwaysEqual()],
                                  torch.zeros(()).as_subclass(type("Sub", (torch.Tensor,), {}))])
def test_check_equal_refuses_objects_that_can_redefine_equality(liar):
    with pytest.raises(AssertionError, match="plain values"):
        check_equal(liar, {"shape": (2, 3)})


def test_check_equal_accepts_plain_values_of_python_torch_and_numpy():
    import numpy as np

    check_equal({"shape": torch.Size([2, 3]), "dtype": torch.float32, "n": np.int64(6)},
                {"shape": (2, 3), "dtype": torch.float32, "n": 6})
    check_equal([np.bool_(True), 1.5, "a", None, {1, 2}], [True, 1.5, "a", None, {1, 2}])
    check_equal(torch.tensor(3), 3)


def test_check_tensor_names_the_type_and_a_missing_return():
    check_tensor(torch.zeros(1))
    with pytest.raises(AssertionError, match="expected a torch.Tensor, got list"):
        check_tensor([1, 2])
    with pytest.raises(AssertionError, match="forget to return"):
        check_tensor(None)


def test_check_shape_says_expected_and_got():
    check_shape(torch.zeros(7, 1), (7, 1))
    with pytest.raises(AssertionError, match=r"y: expected shape \(7, 1\), got \(1, 7\)"):
        check_shape(torch.zeros(1, 7), (7, 1), "y")


def test_check_dtype():
    check_dtype(torch.zeros(1), torch.float32)
    with pytest.raises(AssertionError, match="expected dtype torch.float32, got torch.float64"):
        check_dtype(torch.zeros(1, dtype=torch.float64), torch.float32)


def test_check_close_accepts_rounding_differences():
    check_close(torch.tensor([0.1 + 0.2]), torch.tensor([0.3]))
    check_close(torch.tensor([1.0, float("nan")]), torch.tensor([1.0, float("nan")]))
    check_close(torch.tensor([1.0]), torch.tensor([1.1]), atol=0.2)


@pytest.mark.parametrize(
    ("actual", "expected", "message"),
    [
        (torch.zeros(2, 3), torch.zeros(3, 2), r"expected shape \(3, 2\), got \(2, 3\)"),
        (torch.zeros(2, dtype=torch.float64), torch.zeros(2), "expected dtype torch.float32"),
        (torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.5]), r"1 of 2 elements differ.*index \(1,\)"),
        (torch.tensor([1, 2]), torch.tensor([1, 3]), "expected 3, got 2"),
        ([1.0], torch.tensor([1.0]), "expected a torch.Tensor"),
    ],
)
def test_check_close_explains_each_kind_of_mismatch(actual, expected, message):
    with pytest.raises(AssertionError, match=message):
        check_close(actual, expected)


def test_check_close_can_ignore_dtype():
    check_close(torch.tensor([1.0], dtype=torch.float64), torch.tensor([1.0]), check_dtype=False)


def test_check_close_prints_small_tensors_only():
    with pytest.raises(AssertionError) as small:
        check_close(torch.zeros(3), torch.ones(3))
    assert "got:" in str(small.value)
    with pytest.raises(AssertionError) as large:
        check_close(torch.zeros(100), torch.ones(100))
    assert "got:" not in str(large.value) and "100 of 100 elements differ" in str(large.value)


def test_check_inputs_unchanged_returns_the_result():
    x = torch.arange(3)
    assert torch.equal(check_inputs_unchanged(lambda t, k: t * k, x, k=2), torch.tensor([0, 2, 4]))


def test_check_inputs_unchanged_catches_in_place_writes():
    def zero_first(t):
        t[0] = 0
        return t

    with pytest.raises(AssertionError, match=r"changed its input \(argument 1\) in place"):
        check_inputs_unchanged(zero_first, torch.ones(3))
