"""Read the student's code before it runs: flag for review what no check in the kernel can decide.

The guard (``autograder/guard.py``) decides what it can inside the kernel: it puts rebound
tools back, fails a test during which something changed, and stops grading when its own
state is reached. Some tricks leave nothing it can see afterwards: a signal handler or a
thread timed to undo a patch between a test and its checkpoint, raw memory reads through
``ctypes``, an object that answers every comparison with "equal". They all need code that
no answer in this course needs: introspection modules, frames, dunder methods that change
what comparisons mean, names computed at run time. :func:`findings` lists such uses in the
cells a student wrote or changed, so the instructor can look; it changes no score.

It reads source, so code that builds its source at run time (``exec`` of a string) is
flagged for the ``exec`` itself. What it cannot see: a trick built entirely from names this
module allows. Honest answers use none of the names below (``tests/test_review.py`` checks
every solution and fixture of the course).
"""

import ast
import re

# Modules no answer needs, each a way around the guard (frames, memory, threads, signals,
# the interpreter's own machinery) or into the grader.
MODULES = frozenset({
    "_hashlib", "_thread", "atexit", "autograder", "builtins", "code", "ctypes", "dis",
    "faulthandler", "gc", "hmac", "importlib", "inspect", "IPython", "ipykernel", "linecache",
    "marshal", "multiprocessing", "signal", "sys", "threading", "traceback", "tracemalloc",
    "types", "weakref"})
# Built-in names that run code or reach attributes by a name computed at run time.
NAMES = frozenset({"__builtins__", "__import__", "breakpoint", "compile", "delattr", "eval",
                   "exec", "get_ipython", "globals", "locals", "setattr", "vars"})
# Attributes of frames, code, functions, IPython and torch's dispatch switches.
ATTRIBUTES = frozenset({
    "_C", "_current_frames", "_getframe", "addaudithook", "ast_transformers", "cell_contents",
    "co_code", "co_consts", "co_names", "events", "f_back", "f_builtins", "f_code", "f_globals",
    "f_locals", "f_trace", "gi_frame", "input_transformers_cleanup", "input_transformers_post",
    "run_cell", "set_custom_exc", "setprofile", "settrace", "tb_frame", "user_global_ns",
    "user_ns"})
# Dunder methods an answer may define or use: the rest change what comparisons, attribute
# access or tensor functions mean (``__eq__``, ``__getattr__``, ``__torch_function__``, ...).
DUNDERS = frozenset({"__call__", "__doc__", "__enter__", "__exit__", "__getitem__", "__init__",
                     "__iter__", "__len__", "__name__", "__next__", "__repr__", "__setitem__",
                     "__str__"})
MAGIC = re.compile(r"^\s*[%!]")


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and name not in DUNDERS


def uses(source: str) -> set[str]:
    """What in ``source`` is worth an instructor's look (empty for honest answers)."""
    text = "\n".join("" if MAGIC.match(line) else line for line in source.splitlines())
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()  # it cannot run either; what it does at run time the guard still sees
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {f"import {a.name}" for a in node.names if a.name.split(".")[0] in MODULES}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in MODULES:
            found.add(f"import {node.module}")
        elif isinstance(node, ast.Name) and (node.id in NAMES or _dunder(node.id)):
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and (node.attr in ATTRIBUTES or _dunder(node.attr)):
            found.add(f".{node.attr}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _dunder(node.name):
            found.add(f"def {node.name}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "getattr" and len(node.args) >= 2):
            name = node.args[1]
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                found.add("getattr with a computed name")
            elif name.value in ATTRIBUTES or _dunder(name.value):
                found.add(f"getattr(..., {name.value!r})")
    return found


def findings(nb, release_nb) -> list[str]:
    """One flag per code cell the student wrote or changed that uses something of the above.

    Test cells are left out (nbgrader puts the instructor's back), and so is any cell whose
    source is exactly one of the release's (the instructor's own demos may use these names).
    """
    given = {c.source for c in release_nb.cells if c.cell_type == "code"}
    flags = []
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        meta = meta if isinstance(meta, dict) else {}  # a submission's metadata may be anything
        if cell.get("cell_type") != "code" or not isinstance(cell.get("source"), str):
            continue
        if (meta.get("grade") and not meta.get("solution")) or cell.source in given:
            continue
        found = uses(cell.source)
        if found:
            grade_id = meta.get("grade_id")
            where = f"answer {grade_id!r}" if isinstance(grade_id, str) else f"cell {index + 1}"
            flags.append(f"For review: {where} uses {', '.join(sorted(found))} (not needed "
                         "by any answer; it can get around the grader's checks).")
    return flags
