"""Time every instructor notebook end to end, on whatever device course.device() picks.

    python bench/notebooks.py [CHAPTER ...]        # all chapters in source/ by default
    COURSE_DEVICE=cpu python bench/notebooks.py    # force the CPU on a GPU machine

Prints one line per notebook: seconds (kernel start included), the device its setup cell
reported, and the ratio to the 60 s budget per notebook. Not a test: nothing asserts a time.
"""

import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

BUDGET_S = 60.0
SOURCE = pathlib.Path(__file__).resolve().parent.parent / "source"


def run(path: pathlib.Path) -> tuple[float, str]:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    setup = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    text = "".join(o.get("text", "") for o in setup.outputs)
    device = text.rsplit(" on ", 1)[-1].strip() if " on " in text else "?"
    return seconds, device


def main(chapters: list[str]) -> None:
    paths = sorted(p for ch in (chapters or ["*"]) for p in SOURCE.glob(f"{ch}/*.ipynb"))
    total = 0.0
    for path in paths:
        seconds, device = run(path)
        total += seconds
        name = f"{path.parent.name}/{path.name}"
        print(f"{name:62} {seconds:6.1f} s  {device:8} "
              f"{seconds / BUDGET_S:5.2f} of budget", flush=True)
    print(f"{'total':62} {total:6.1f} s  ({len(paths)} notebooks)")


if __name__ == "__main__":
    main(sys.argv[1:])
