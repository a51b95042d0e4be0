"""Assertions for visible tests that say what was expected and what came back.

A failing check raises ``AssertionError`` with a message written for the student, e.g.
``result: expected shape (7, 1), got (1, 7)``. Introduced in chapter 01 and used by every
chapter's test cells. Nothing here knows an answer: every expected value comes from the test.
"""

import collections

import torch

#: Tensors up to this many elements are printed in full in a failure message.
SHOW_VALUES_UP_TO = 24


#: (rtol, atol) that ``torch.testing.assert_close`` uses by default, per dtype.
_DEFAULT_TOLERANCES = {
    torch.float16: (1e-3, 1e-5),
    torch.bfloat16: (1.6e-2, 1e-5),
    torch.float32: (1.3e-6, 1e-5),
    torch.float64: (1e-7, 1e-7),
    torch.complex64: (1.3e-6, 1e-5),
    torch.complex128: (1e-7, 1e-7),
}


def _shape(shape) -> tuple:
    return tuple(int(s) for s in shape)


#: Types whose ``==`` is the interpreter's or torch's own: what ``check_equal`` compares.
_VALUE_TYPES = frozenset({bool, int, float, complex, str, bytes, type(None), range, torch.dtype,
                          torch.device, torch.Size, torch.Tensor, torch.nn.Parameter})
_CONTAINERS = frozenset({tuple, list, set, frozenset, collections.deque})
_MAPPINGS = frozenset({dict, collections.Counter, collections.OrderedDict,
                       collections.defaultdict})


def _dishonest_part(value, depth: int = 0):
    """The first part of ``value`` whose type could redefine ``==`` (None if there is none).

    A class of the student's could answer "equal" to everything; numbers, strings, torch's
    and NumPy's own scalars, tensors, and tuples, lists, sets, dicts and the ``collections``
    containers of them cannot.
    """
    kind = type(value)
    if kind in _VALUE_TYPES:
        return None
    if depth < 20 and kind in _CONTAINERS:
        return next((p for p in map(lambda v: _dishonest_part(v, depth + 1), value)
                     if p is not None), None)
    if depth < 20 and kind in _MAPPINGS:
        parts = (_dishonest_part(x, depth + 1) for item in value.items() for x in item)
        return next((p for p in parts if p is not None), None)
    if kind.__module__ == "numpy" and kind.__name__ in _NUMPY_SCALARS:
        return None  # numpy.int64, numpy.bool, ... (not subclasses of them)
    if kind.__module__ == "torch.return_types" and depth < 20:  # torch.max(x, dim)'s result
        return _dishonest_part(tuple(value), depth + 1)
    return value


_NUMPY_SCALARS = frozenset({
    "bool", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "longdouble", "complex64", "complex128", "str_", "bytes_",
    "intc", "uintc", "longlong", "ulonglong", "clongdouble"})


def check_equal(actual, expected, name: str = "result") -> None:
    """Plain values (numbers, tuples, dtypes, strings) must be equal.

    ``actual`` must be made of plain types: an object of the student's own class could
    define ``__eq__`` to say "equal" to anything.
    """
    part = _dishonest_part(actual)
    if part is not None:
        inside = "" if part is actual else f" holding an object of type {type(part).__name__}"
        raise AssertionError(f"{name}: expected a {type(expected).__name__} of plain values, "
                             f"got a {type(actual).__name__}{inside}")
    if actual != expected:
        raise AssertionError(f"{name}: expected {expected!r}, got {actual!r}")


def check_tensor(actual, name: str = "result") -> None:
    """``actual`` must be a ``torch.Tensor`` (not a list, NumPy array or number)."""
    if not isinstance(actual, torch.Tensor):
        raise AssertionError(
            f"{name}: expected a torch.Tensor, got {type(actual).__name__}"
            + (" (did you forget to return it?)" if actual is None else "")
        )


def check_shape(actual, shape, name: str = "result") -> None:
    """``actual`` must be a tensor of exactly this shape."""
    check_tensor(actual, name)
    if _shape(actual.shape) != _shape(shape):
        raise AssertionError(
            f"{name}: expected shape {_shape(shape)}, got {_shape(actual.shape)}"
        )


def check_dtype(actual, dtype: torch.dtype, name: str = "result") -> None:
    """``actual`` must be a tensor of this dtype."""
    check_tensor(actual, name)
    if actual.dtype != dtype:
        raise AssertionError(f"{name}: expected dtype {dtype}, got {actual.dtype}")


def _describe_difference(actual: torch.Tensor, expected: torch.Tensor, rtol, atol) -> str:
    a, e = actual.detach().cpu(), expected.detach().cpu()
    if a.is_floating_point() or a.is_complex():
        tol = atol + rtol * e.abs()
        bad = ~((a - e).abs() <= tol) & ~(a.isnan() & e.isnan())
        diff = (a - e).abs().where(bad, torch.zeros((), dtype=a.dtype))
    else:
        bad = a != e
        diff = (a.double() - e.double()).abs().where(bad, torch.zeros((), dtype=torch.double))
    where = tuple(int(i) for i in torch.unravel_index(diff.argmax(), a.shape)) if a.dim() else ()
    text = (
        f"{int(bad.sum())} of {a.numel()} elements differ; first large difference at index "
        f"{where}: expected {e[where].item()!r}, got {a[where].item()!r}"
    )
    if a.numel() <= SHOW_VALUES_UP_TO:
        text += f"\nexpected: {e}\ngot:      {a}"
    return text


def check_close(
    actual,
    expected,
    name: str = "result",
    *,
    rtol: float | None = None,
    atol: float | None = None,
    check_dtype: bool = True,
) -> None:
    """``actual`` must match ``expected`` in type, shape, dtype, device and values.

    Values are compared with tolerances (``torch.testing.assert_close``'s defaults for the
    dtype unless ``rtol``/``atol`` are given), so every correct way of computing them passes.
    """
    check_tensor(actual, name)
    expected = torch.as_tensor(expected)
    check_shape(actual, expected.shape, name)
    if check_dtype and actual.dtype != expected.dtype:
        raise AssertionError(f"{name}: expected dtype {expected.dtype}, got {actual.dtype}")
    if actual.device != expected.device:
        raise AssertionError(f"{name}: expected device {expected.device}, got {actual.device}")
    if not check_dtype:
        actual = actual.to(expected.dtype)
    default_rtol, default_atol = _DEFAULT_TOLERANCES.get(expected.dtype, (0.0, 0.0))
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    try:
        torch.testing.assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
    except AssertionError:
        raise AssertionError(
            f"{name}: values differ from expected; "
            + _describe_difference(actual, expected, rtol, atol)
        ) from None


def check_inputs_unchanged(fn, *args, **kwargs):
    """Call ``fn(*args, **kwargs)``, fail if it modified any tensor argument, return its result.

    A function that is asked for a new tensor should not write into the one it was given;
    the caller may still need it.
    """
    names = [f"argument {i + 1}" for i in range(len(args))] + [f"argument {k!r}" for k in kwargs]
    values = list(args) + list(kwargs.values())
    before = [v.detach().clone() if isinstance(v, torch.Tensor) else None for v in values]
    result = fn(*args, **kwargs)
    for label, value, copy in zip(names, values, before, strict=True):
        if copy is not None and not torch.equal(value.detach(), copy):
            raise AssertionError(
                f"your function changed its input ({label}) in place; "
                "work on a copy or build a new tensor instead"
            )
    return result
