"""Prove that a "from scratch" exercise is from scratch: forbid library routines for a while.

Hidden tests of exercises such as "implement softmax yourself" call the student's function
inside :func:`forbid`, which makes the routines it re-implements raise while the block runs:

    with forbid("torch.softmax", "torch.Tensor.softmax", "torch.nn.functional.softmax",
                namespace=globals()):
        result = my_softmax(x)

A one-line call to the library then fails with a message that says so, instead of earning
the points. ``namespace`` (the notebook's ``globals()``) also covers names a student bound
directly, e.g. ``from torch.nn.functional import softmax``. Introduced in chapter 08.
"""

import contextlib
import importlib


class ForbiddenCall(AssertionError):
    """Raised when a forbidden routine is called inside :func:`forbid`."""


def _resolve(dotted: str):
    """(owner object, attribute name, current value) for a dotted path like 'torch.Tensor.add'."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attr in parts[split:-1]:
            owner = getattr(owner, attr)
        return owner, parts[-1], getattr(owner, parts[-1])
    raise ValueError(f"cannot resolve {dotted!r}")


def _raiser(dotted: str):
    def forbidden(*args, **kwargs):
        raise ForbiddenCall(
            f"{dotted} is not allowed in this exercise: implement it from scratch "
            "with more basic operations"
        )

    forbidden.__name__ = dotted.rsplit(".", 1)[-1]
    return forbidden


@contextlib.contextmanager
def forbid(*routines: str, namespace: dict | None = None):
    """Within the block, calling any of ``routines`` (dotted paths) raises :class:`ForbiddenCall`.

    Everything is restored on exit, also when the block raises.
    """
    patched = []  # (owner or namespace, name, original, is_dict)
    try:
        originals = []
        for dotted in routines:
            owner, name, original = _resolve(dotted)
            originals.append(original)
            setattr(owner, name, _raiser(dotted))
            patched.append((owner, name, original, False))
        if namespace is not None:
            for name, value in list(namespace.items()):
                for dotted, original in zip(routines, originals, strict=True):
                    if value is original:
                        namespace[name] = _raiser(dotted)
                        patched.append((namespace, name, original, True))
        yield
    finally:
        for owner, name, original, is_dict in reversed(patched):
            if is_dict:
                owner[name] = original
            else:
                setattr(owner, name, original)
