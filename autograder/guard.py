"""Inside the student's kernel: keep what the tests rely on as it was, and say who changed it.

Grading runs the student's code and the instructor's tests in one Python process, so a
submission can rebind ``torch.allclose`` to ``lambda *a, **k: True``, install an IPython
handler that swallows ``AssertionError``, or add an input transformer that rewrites
``assert`` away. :func:`install` runs in the fresh kernel before any student code
(``autograder/kernel.py``): it imports what the tests use, takes a snapshot of the bindings
that matter and registers a checkpoint function under a secret name. The grader calls the
checkpoint before every test cell (anything changed is put back and reported, so the test
runs against the real functions) and after it (a change made while the test ran fails that
test). An audit hook, which Python does not let code remove, notes files opened outside the
submission and attempts to start processes or open sockets.

This is a tripwire, not a wall: code in the same process can in principle find and defeat
it. The wall is the sandbox (``autograder/sandbox.py``); the limits are documented in
``autograder/README.md``.
"""

import importlib
import json
import os
import sys

WATCHED_MODULES = ["builtins", "math", "operator", "numpy", "numpy.testing", "torch",
                   "torch.testing", "torch.nn.functional", "course.checks", "course.scratch"]
WATCHED_CLASSES = [("torch", "Tensor"), ("torch._C", "TensorBase")]
IPYTHON_LISTS = ["ast_transformers", "input_transformers_post", "input_transformers_cleanup"]
# The only IPython event callbacks a library adds after the kernel starts (pyplot and the inline
# backend, on the first plot). Any other one added is a change: it could patch the tests'
# tools just before each cell and put them back just after, out of the checkpoints' sight.
TRUSTED_CALLBACKS = [("matplotlib.pyplot", "_draw_all_if_interactive"),
                     ("matplotlib_inline.backend_inline", "flush_figures")]
# (IPython installs its own displayhook and excepthook around every cell; not watched.)
SYS_HOOKS = ["stdout", "stderr", "breakpointhook"]
AUDITED = {"open", "os.listdir", "os.scandir", "os.remove", "os.rename", "os.rmdir",
           "os.mkdir", "os.chmod", "os.symlink", "os.truncate", "shutil.rmtree"}
MAX_NOTES = 20
# Bindings IPython itself changes while it runs cells (the display hook's ``_`` and the like).
IGNORED = {"builtins._", "builtins.__", "builtins.___", "builtins.exit", "builtins.quit",
           "builtins.get_ipython", "builtins.display", "builtins.__IPYTHON__"}


def _namespaces():
    """(label, owner) pairs whose attribute bindings are snapshotted."""
    found = []
    for name in WATCHED_MODULES:
        try:
            found.append((name, importlib.import_module(name)))
        except ImportError:
            continue
    for module, cls in WATCHED_CLASSES:
        try:
            found.append((f"{module}.{cls}", getattr(importlib.import_module(module), cls)))
        except (ImportError, AttributeError):
            continue
    return found


def _allowed_prefixes() -> tuple[str, ...]:
    extra = [p for p in os.environ.pop("AUTOGRADER_READABLE", "").split(os.pathsep) if p]
    return ("/submission", "/tmp", "/usr", "/etc", "/proc/self", "/dev/", "/sys/devices/system/cpu",
            "/sys/fs/cgroup", "/lib", "/bin", *extra)


def install(imports_json: str = "") -> None:
    """Snapshot, audit hook and checkpoint; called once, before any student code."""
    secret_name = os.environ.pop("AUTOGRADER_CHECKPOINT", "_autograder_checkpoint")
    nonce = os.environ.pop("AUTOGRADER_NONCE", "")
    expected_imports = json.loads(os.environ.pop("AUTOGRADER_IMPORTS", imports_json or "[]"))
    allowed = _allowed_prefixes()
    notes: list[str] = []

    spaces = _namespaces()
    snapshot = {label: (owner, dict(vars(owner))) for label, owner in spaces}
    modules = {label: sys.modules.get(label) for label, _ in spaces if label in sys.modules}
    hooks = {name: getattr(sys, name) for name in SYS_HOOKS}

    from IPython import get_ipython

    shell = get_ipython()
    lists = {name: list(getattr(shell, name, [])) for name in IPYTHON_LISTS}
    events = {name: list(cbs) for name, cbs in shell.events.callbacks.items()}
    shell_attrs = set(vars(shell))
    kernel = getattr(shell, "kernel", None)
    kernel_attrs = set(vars(kernel)) if kernel is not None else set()

    # The checkpoint must not use anything the student can rebind: builtins and module
    # functions are captured now, while they are still the interpreter's own.
    _vars, _setattr, _getattr, _len, _zip, _any = vars, setattr, getattr, len, zip, any
    _callable, _delattr, _set, _isinstance = callable, delattr, set, isinstance
    _hasattr, _type, _all = hasattr, type, all
    _dumps, _abspath, _fsdecode = json.dumps, os.path.abspath, os.fsdecode
    _set_custom_exc, _settrace, _setprofile = shell.set_custom_exc, sys.settrace, sys.setprofile
    _gettrace, _getprofile, _modules = sys.gettrace, sys.getprofile, sys.modules
    missing, ignored, _inherited_ = _MISSING, frozenset(IGNORED), _inherited

    # Taken now where the modules are imported (always in a warm kernel); else when first seen.
    trusted: dict[tuple, object] = {}

    def trust() -> list:
        for module, attr in TRUSTED_CALLBACKS:
            if (module, attr) not in trusted and module in _modules:
                found = _getattr(_modules[module], attr, None)
                if found is not None:
                    trusted[(module, attr)] = found
        return [*trusted.values()]

    trust()

    def note(text: str) -> None:
        if _len(notes) < MAX_NOTES and text not in notes:
            notes.append(text)

    def audit(event, args):
        if event in AUDITED and args:
            path = args[0]
            if _isinstance(path, int):
                return
            try:
                path = _abspath(_fsdecode(path))
            except (TypeError, ValueError):
                return
            if not path.startswith(allowed):
                note(f"touched a file outside its folder: {path}")
        elif event == "subprocess.Popen" or event == "os.system" or event == "os.exec":
            note(f"tried to start a process: {args[0]!r}"[:200])
        elif event == "socket.connect":
            note("tried to open a network connection")

    sys.addaudithook(audit)
    memory = os.environ.pop("AUTOGRADER_MEMORY", "")
    if memory:
        from autograder.kernel import cap_memory

        cap_memory(int(memory))

    def pristine(module: str, attr: str | None):
        entry = snapshot.get(module)
        owner = entry[0] if entry else sys.modules.get(module) or importlib.import_module(module)
        if attr is None:
            return owner
        if entry and attr in entry[1]:
            return entry[1][attr]
        return _getattr(owner, attr)

    def checkpoint() -> str:
        """Put back what changed; return nonce + JSON list of what was changed."""
        changed = []
        for label, (owner, saved) in snapshot.items():
            current = _vars(owner)
            for name, value in saved.items():
                if current.get(name, missing) is not value and f"{label}.{name}" not in ignored:
                    changed.append(f"{label}.{name}")
                    try:
                        _setattr(owner, name, value)
                    except (AttributeError, TypeError):
                        current[name] = value  # modules' dicts are plain dicts
            if _isinstance(owner, type):
                # On a class, a new attribute overrides the one it inherits (Tensor.__sub__
                # lives on TensorBase); modules gain attributes honestly (lazy submodules).
                # A copy of the inherited attribute itself (what a patch-and-restore leaves
                # behind) changes nothing and is just removed.
                for name in _set(current) - _set(saved):
                    if current[name] is not _inherited_(owner, name):
                        changed.append(f"{label}.{name}")
                    _delattr(owner, name)
        for label, module in modules.items():
            if _modules.get(label) is not module:
                changed.append(f"sys.modules[{label!r}]")
                _modules[label] = module
        for name, value in hooks.items():
            if _getattr(sys, name) is not value:
                changed.append(f"sys.{name}")
                _setattr(sys, name, value)
        if _gettrace() is not None or _getprofile() is not None:
            changed.append("sys.settrace/setprofile")
            _settrace(None)
            _setprofile(None)
        if shell.custom_exceptions:
            changed.append("an IPython exception handler (set_custom_exc)")
            _set_custom_exc((), None)
        for name, saved in lists.items():
            current = _getattr(shell, name, None)
            if current is not None and (_len(current) != _len(saved)
                                        or _any(a is not b for a, b in _zip(current, saved))):
                changed.append(f"IPython {name}")
                current[:] = saved
        libraries = trust()
        for name, saved in events.items():
            # Removing or replacing IPython's own callbacks, or adding one that is not a
            # library's (TRUSTED_CALLBACKS), is what a submission should not do.
            current = shell.events.callbacks.get(name, [])
            added = [a for a in current if _all(a is not b for b in saved)]
            kept = [a for a in added if _any(a is t for t in libraries)]
            if _len(kept) != _len(added) or _any(_all(a is not b for a in current) for b in saved):
                changed.append(f"IPython {name} callbacks")
                current[:] = saved + kept
        for owner, known, label in ((shell, shell_attrs, "IPython shell"),
                                    (kernel, kernel_attrs, "kernel")):
            if owner is None:
                continue
            for name in _set(_vars(owner)) - known:
                # A method replaced on the instance shadows the class's own.
                if _callable(_vars(owner)[name]) and _hasattr(_type(owner), name):
                    changed.append(f"{label}.{name}")
                    _delattr(owner, name)
        namespace = shell.user_ns
        for name, module, attr in expected_imports:
            try:
                value = pristine(module, attr)
            except (ImportError, AttributeError):
                continue
            if name in namespace and namespace[name] is not value:
                changed.append(f"the notebook's name {name!r}")
                namespace[name] = value
        return nonce + _dumps({"changed": changed, "notes": notes})

    shell.user_ns[secret_name] = checkpoint
    shell.user_ns_hidden[secret_name] = checkpoint


_MISSING = object()


def _inherited(cls: type, name: str):
    """What ``cls.name`` would be without ``cls``'s own entry (``_MISSING`` if nothing)."""
    for base in cls.__mro__[1:]:
        if name in vars(base):
            return vars(base)[name]
    return _MISSING
