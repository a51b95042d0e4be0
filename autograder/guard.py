"""Inside the student's kernel: keep what the tests rely on as it was, and say who changed it.

Grading runs the student's code and the instructor's tests in one Python process, so a
submission can rebind ``torch.allclose`` to ``lambda *a, **k: True``, install an IPython
handler that swallows ``AssertionError``, or add an input transformer that rewrites
``assert`` away. :func:`install` runs in the fresh kernel before any student code
(``autograder/kernel.py``): it imports what the tests use and takes a snapshot of the
bindings that matter. The grader asks for a *checkpoint* before every test cell (anything
changed is put back and reported, so the test runs against the real functions) and after it
(a change made while the test ran fails that test).

Why a student who has read this file cannot forge the checkpoint's answer:

* The answer is signed: the grader sends a fresh random challenge, the guard returns its
  report with an HMAC of challenge + report under a key only the grader and the guard know.
  The key comes in a file the guard deletes on reading (not in the environment, which
  ``/proc/self/environ`` would show).
* The key and every piece of the guard's state live only among the *constants of the audit
  hook's code object* (:func:`_seal`). Python offers no way to remove an audit hook or to
  list the hooks, and no frame ever holds the key in a variable, so neither closures nor
  ``frame.f_locals`` reveal it. The ways that remain (the hook's ``f_code``, ``gc``'s
  object walks, ``ctypes`` memory reads, a trace function) are all audit events: the hook
  sees them first and destroys the key, so every later checkpoint fails verification and
  grading stops (every remaining test scores 0, flagged).
* The name in the notebook's namespace is only a trampoline that raises the audit event.
  The hook checks who called it: the grader's own expression, evaluated by IPython's
  ``user_expressions``, under exactly the call stack recorded at the first checkpoint (made
  before any student code ran). A forgery that wraps the real checkpoint (undo the patches,
  ask, redo them) is a different stack, and the signed report says so.
* While a checkpoint runs, garbage collection is off, finalizers are deferred and anything
  that reads a frame (the only way to reach the guard's state while it is in use) destroys
  the key; Python signal handlers a submission installed are put back first, and a trace
  function destroys the key.
* During a test, ``torch.Tensor`` subclasses' ``__torch_function__`` is switched off (a
  subclass cannot answer ``allclose``/``eq`` for the real tensor), and a student frame that
  inspects the stack (``sys._getframe``, ``inspect``, tracebacks' frames) fails the test.

An audit hook, which Python does not let code remove, also notes files opened outside the
submission and attempts to start processes or open sockets. What stays out of reach of any
in-process guard (a signal handler or thread timed to undo a patch between a test and its
checkpoint, raw memory reads through ``ctypes.cast``) is flagged for human review by the
grader's scan of the answers (``autograder/review.py``), and bounded by the sandbox
(``autograder/sandbox.py``); the limits are documented in ``autograder/README.md``.
"""

import _hashlib
import _thread
import builtins
import collections
import gc
import importlib
import json
import operator
import os
import signal
import sys
import types
import warnings

EVENT = "autograder.checkpoint"
WATCHED_MODULES = ["builtins", "math", "operator", "numpy", "numpy.testing", "torch",
                   "torch.testing", "torch.nn.functional", "course.checks", "course.scratch"]
WATCHED_CLASSES = [("torch", "Tensor"), ("torch._C", "TensorBase"),
                   ("IPython.core.interactiveshell", "InteractiveShell"),
                   ("ipykernel.zmqshell", "ZMQInteractiveShell"),
                   ("IPython.core.events", "EventManager"),
                   ("ipykernel.kernelbase", "Kernel"), ("ipykernel.ipkernel", "IPythonKernel")]
IPYTHON_LISTS = ("ast_transformers", "input_transformers_post", "input_transformers_cleanup")
# The only IPython event callbacks a library adds after the kernel starts (pyplot and the inline
# backend, on the first plot). Any other one added is a change: it could patch the tests'
# tools just before each cell and put them back just after, out of the checkpoints' sight.
TRUSTED_CALLBACKS = (("matplotlib.pyplot", "_draw_all_if_interactive"),
                     ("matplotlib_inline.backend_inline", "flush_figures"))
# (IPython installs its own displayhook and excepthook around every cell; not watched.)
SYS_HOOKS = ["stdout", "stderr", "breakpointhook"]
AUDITED = frozenset({"open", "os.listdir", "os.scandir", "os.remove", "os.rename", "os.rmdir",
                     "os.mkdir", "os.chmod", "os.symlink", "os.truncate", "shutil.rmtree"})
# Events that walk memory or install a tracer: each could reach the guard's key.
BURN = frozenset({"gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.settrace",
                  "sys.setprofile", "ctypes.string_at", "ctypes.wstring_at", "ctypes.cdata",
                  "ctypes.cdata/buffer", "ctypes.dlsym", "ctypes.dlsym/handle"})
FRAMES = frozenset({"sys._getframe", "sys._current_frames", "object.__getattr__"})
# Library code a student frame may call to read the stack for it.
STACK_READERS = ("inspect.py", "traceback.py", "linecache.py")
MAX_NOTES = 20
# Bindings IPython itself changes while it runs cells (the display hook's ``_`` and the like).
IGNORED = frozenset({"builtins._", "builtins.__", "builtins.___", "builtins.exit",
                     "builtins.quit", "builtins.get_ipython", "builtins.display",
                     "builtins.__IPYTHON__"})
# Taken at import, before any student code: the hook's helpers call these, not sys.* / os.*.
_getframe, _abspath = sys._getframe, os.path.abspath
TIMERS = (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF)
# ipykernel swaps its own SIGINT handler in and out around every request.
UNWATCHED_SIGNALS = frozenset({signal.SIGINT})


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


def _read_key() -> bytes:
    """The grader's key, from the file it named; the file is deleted once read."""
    path = os.environ.pop("AUTOGRADER_KEY_FILE", "")
    if not path:
        return os.urandom(32)  # no grader listening: checkpoints simply cannot be verified
    with open(path, "rb") as handle:
        key = handle.read()
    os.unlink(path)
    return key


def _signals() -> tuple[list, list]:
    """Signals whose Python-level handler can be set here, and their handlers now."""
    numbers, handlers = [], []
    for number in range(1, signal.NSIG):
        if number in UNWATCHED_SIGNALS:
            continue
        try:
            handler = signal.getsignal(number)
            if handler is None:
                continue
            signal.signal(number, handler)
        except (OSError, ValueError, RuntimeError):
            continue
        numbers.append(number)
        handlers.append(handler)
    return numbers, handlers


def _cell_prefix(shell) -> str:
    """The folder IPython compiles notebook cells into (their code's ``co_filename``)."""
    try:
        return os.path.dirname(shell.compile.get_code_name("", "", 0)) + os.sep
    except Exception:  # noqa: BLE001 - an older IPython: no cell files, only "<ipython-input"
        return "<ipython-input"


def install(imports_json: str = "") -> None:
    """Snapshot, audit hook and checkpoint; called once, before any student code."""
    from IPython import get_ipython

    secret_name = os.environ.pop("AUTOGRADER_CHECKPOINT", "_autograder_checkpoint")
    key = [_read_key()]
    expected_imports = json.loads(os.environ.pop("AUTOGRADER_IMPORTS", imports_json or "[]"))
    allowed = _allowed_prefixes()
    shell = get_ipython()
    spaces = _namespaces()
    kernel = getattr(shell, "kernel", None)
    numbers, handlers = _signals()
    import torch

    state = {
        "key": key, "secret": secret_name, "imports": expected_imports, "shell": shell,
        "kernel": kernel, "notes": [], "graveyard": [], "chain": [], "testing": [False],
        "torch_function": [], "burned": [],
        "snapshot": {label: (owner, type(owner), isinstance(owner, types.ModuleType),
                             dict(vars(owner))) for label, owner in spaces},
        "modules": {label: sys.modules.get(label) for label, _ in spaces if label in sys.modules},
        "hooks": {name: getattr(sys, name) for name in SYS_HOOKS},
        "lists": {name: list(getattr(shell, name, [])) for name in IPYTHON_LISTS},
        "events": {name: list(cbs) for name, cbs in shell.events.callbacks.items()},
        "callbacks": shell.events.callbacks,
        "event_manager": shell.events, "shell_type": type(shell),
        "shell_attrs": set(vars(shell)),
        "kernel_attrs": set(vars(kernel)) if kernel is not None else set(),
        "trusted": {}, "timers": TIMERS,
        "user_expressions": type(shell).user_expressions.__code__,
        "disable_subclasses": torch._C.DisableTorchFunctionSubclass,
        "torch_function_enabled": torch._C._is_torch_function_enabled,
        "tools": _tools(),
    }
    memory = os.environ.pop("AUTOGRADER_MEMORY", "")
    if memory:
        from autograder.kernel import cap_memory

        cap_memory(int(memory))
    _trust(state)
    trampoline = _trampoline(sys.audit)
    state["trampoline"], state["trampoline_fn"] = trampoline.__code__, trampoline
    sys.addaudithook(_seal(state, numbers, handlers, allowed, _cell_prefix(shell)))
    del key
    shell.user_ns[secret_name] = trampoline
    shell.user_ns_hidden[secret_name] = trampoline


def _tools() -> types.SimpleNamespace:
    """The interpreter's own functions, taken before any student code can rebind them."""
    return types.SimpleNamespace(
        vars=vars, setattr=setattr, getattr=getattr, len=len, zip=zip, any=any, all=all,
        callable=callable, delattr=delattr, set=set, hasattr=hasattr,
        type=type, getframe=sys._getframe, modules=sys.modules, sys=sys,
        ident=_thread.get_ident,
        digest=_hashlib.hmac_digest, repr=repr, getitimer=signal.getitimer, setitimer=signal.setitimer,
        object_setattr=object.__setattr__, ModuleType=types.ModuleType, str=str, list=list,
        tuple=tuple, dict=dict, inherited=_inherited, missing=_MISSING, ignored=frozenset(IGNORED))


def _trampoline(audit):
    """The name the grader calls: it only raises the checkpoint's audit event."""
    def checkpoint(challenge, phase=""):
        box = []
        audit(EVENT, challenge, phase, box)
        return box[0] if box else ""
    return checkpoint


_HOOK = '''
def audit(event, args):
    if event == "autograder.checkpoint":
        if '@ident'.__call__() != '@main':
            return
        moved = '@any'.__call__('@map'.__call__('@is_not', '@map'.__call__('@getsignal', '@signals'),
                                                '@handlers'))
        if moved:
            '@exhaust'.__call__('@map'.__call__('@signal', '@signals', '@handlers'), 0)
        if '@gettrace'.__call__() is not None or '@getprofile'.__call__() is not None:
            '@key'.clear()
            '@burned'.append("a trace or profile function was set")
        collecting = '@gc_isenabled'.__call__()
        '@gc_disable'.__call__()
        '@busy'.__setitem__(0, 1)
        try:
            '@checkpoint'.__call__('@state', args, moved)
        finally:
            '@busy'.__setitem__(0, 0)
            if collecting:
                '@gc_enable'.__call__()
        return
    if event in '@frames':
        if '@window'.__getitem__(0) == '@ident'.__call__():
            return
        if '@busy'.__getitem__(0):
            '@key'.clear()
            '@burned'.append("something read the call stack while the grader's checkpoint ran")
            return
        if event == "object.__getattr__" and '@len'.__call__(args) == 2 and args[1] == "f_code":
            '@window'.__setitem__(0, '@ident'.__call__())
            try:
                code = args[0].f_code if '@type'.__call__(args[0]) is '@FrameType' else None
            finally:
                '@window'.__setitem__(0, None)
            if code is '@self'.__getitem__(0):
                '@key'.clear()
                '@burned'.append("the grader's audit hook was inspected")
                return
        if '@testing'.__getitem__(0):
            '@window'.__setitem__(0, '@ident'.__call__())
            try:
                '@inspected'.__call__(event, args, '@notes', '@cells', '@testing')
            finally:
                '@window'.__setitem__(0, None)
        return
    if event in '@burn':
        '@key'.clear()
        '@burned'.append(event)
        return
    '@note_event'.__call__(event, args, '@notes', '@allowed')
'''


def _seal(state, numbers, handlers, allowed, cells):
    """The audit hook, its state reachable only through its code object's constants."""
    window, busy, self_code = [None], state.setdefault("busy", [0]), [None]
    private = _private_namespace()
    constants = {
        "@ident": _thread.get_ident, "@main": _thread.get_ident(), "@any": any, "@map": map,
        "@is_not": operator.is_not, "@getsignal": signal.getsignal, "@signals": tuple(numbers),
        "@handlers": tuple(handlers), "@exhaust": collections.deque, "@signal": signal.signal,
        "@gettrace": sys.gettrace, "@getprofile": sys.getprofile, "@key": state["key"],
        "@burned": state["burned"], "@gc_isenabled": gc.isenabled, "@gc_disable": gc.disable,
        "@gc_enable": gc.enable, "@busy": busy, "@checkpoint": private["_checkpoint"],
        "@state": state, "@frames": FRAMES, "@window": window, "@len": len,
        # (``type.__call__`` looked up on ``type`` itself is the unbound slot: bind it)
        "@type": type.__dict__["__call__"].__get__(type),
        "@FrameType": types.FrameType, "@self": self_code, "@testing": state["testing"],
        "@inspected": private["_inspected"], "@notes": state["notes"], "@cells": cells,
        "@burn": BURN, "@note_event": private["_note_event"], "@allowed": allowed,
    }
    state["window"] = window
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = compile(_HOOK, "<autograder guard>", "exec")
    code = next(c for c in module.co_consts if isinstance(c, types.CodeType))
    consts = tuple(constants.get(c, c) if type(c) is str else c for c in code.co_consts)
    missing = set(constants) - set(c for c in code.co_consts if type(c) is str)
    assert not missing, f"unused guard constants: {missing}"
    code = code.replace(co_consts=consts)
    self_code[0] = code
    return types.FunctionType(code, {"__builtins__": {}})


def _private_namespace() -> dict:
    """This module's globals, copied, with every function of it rebound to the copy.

    The hook's helpers run with these globals: a submission that rebinds this module's
    names (``autograder.guard._note = ...``) or a builtin changes nothing they call.
    """
    namespace = dict(globals())
    namespace["__builtins__"] = dict(vars(builtins))
    for name, value in list(namespace.items()):
        if isinstance(value, types.FunctionType) and value.__module__ == __name__:
            namespace[name] = types.FunctionType(value.__code__, namespace, value.__name__,
                                                 value.__defaults__, value.__closure__)
    return namespace


def _note(notes: list, text: str) -> None:
    if len(notes) < MAX_NOTES and text not in notes:
        notes.append(text)


def _note_event(event, args, notes, allowed) -> None:
    """Files outside the submission, processes and sockets: noted for the instructor."""
    if event in AUDITED and args:
        path = args[0]
        if type(path) is bytes:
            path = path.decode("utf-8", "replace")
        if type(path) is not str:  # an int (a file descriptor) or an object of the student's
            return
        path = _abspath(path)
        if not path.startswith(allowed):
            _note(notes, f"touched a file outside its folder: {path}")
    elif event == "subprocess.Popen" or event == "os.system" or event == "os.exec":
        what = args[0] if args and type(args[0]) in (str, bytes) else "a program"
        _note(notes, f"tried to start a process: {what!r}"[:200])
    elif event == "socket.connect":
        _note(notes, "tried to open a network connection")


def _inspected(event, args, notes, cells, testing) -> None:
    """A student frame reading the stack while a test runs: that test cannot be trusted."""
    frame = _getframe(2)  # the frame that asked for a frame (this, then the hook)
    while frame is not None and frame.f_code.co_filename.endswith(STACK_READERS):
        frame = frame.f_back
    if frame is None:
        return
    name = frame.f_code.co_filename
    if name.startswith(cells) or (name.startswith("<") and not name.startswith("<frozen")):
        what = args[1] if event == "object.__getattr__" and len(args) == 2 else event
        _note(notes, f"inspected the call stack ({what}) while a test ran")
        testing.append("inspected")


def _trust(state) -> list:
    """The library callbacks (TRUSTED_CALLBACKS) by identity, taken where first seen."""
    trusted, modules = state["trusted"], state["tools"].modules
    for module, attr in TRUSTED_CALLBACKS:
        if (module, attr) not in trusted and module in modules:
            found = getattr(modules[module], attr, None)
            if found is not None:
                trusted[(module, attr)] = found
    return [*trusted.values()]


def _chain_ok(state, t, challenge) -> str:
    """'' if the grader's own expression called the trampoline, under the recorded stack."""
    window = state["window"]
    window[0] = t.ident()
    try:
        frame = t.getframe(3)  # this, _checkpoint, the hook: then the trampoline
        if frame.f_code is not state["trampoline"]:
            return "the grader's checkpoint was called by other code"
        frame = frame.f_back
        code = frame.f_code
        consts = code.co_consts
        if (code.co_filename != "<string>" or code.co_names != (state["secret"],)
                or t.type(consts) is not t.tuple or t.len(consts) < 1
                or t.type(consts[0]) is not t.str or consts[0] != challenge):
            return "the grader's checkpoint was called by other code"
        chain = []
        frame = frame.f_back
        while frame is not None:
            chain.append(frame.f_code)
            frame = frame.f_back
    finally:
        window[0] = None
    if not state["chain"]:
        if not chain or chain[0] is not state["user_expressions"]:
            return "the grader's checkpoint was called by other code"
        state["chain"] = chain
    elif t.len(chain) != t.len(state["chain"]) or t.any(
            a is not b for a, b in t.zip(chain, state["chain"])):
        return "the grader's checkpoint was called from a different call stack"
    return ""


def _checkpoint(state, args, moved) -> None:
    """Put back what changed; answer the grader with a signed report of what was changed."""
    t = state["tools"]
    if t.len(args) != 3 or t.type(args[0]) is not t.str or t.type(args[2]) is not t.list:
        return
    challenge, phase, box = args
    changed = []
    graveyard = state["graveyard"]
    wrong_caller = _chain_ok(state, t, challenge)
    if wrong_caller:
        changed.append(wrong_caller)
    if moved:
        changed.append("a signal handler")
    for timer in state["timers"]:
        if t.getitimer(timer) != (0.0, 0.0):
            changed.append("a signal timer")
            t.setitimer(timer, 0)
    _restore_bindings(state, t, changed, graveyard)
    _restore_ipython(state, t, changed, graveyard)
    _torch_function(state, t, phase, changed)
    # repr of a tuple of str is the interpreter's own C code: nothing a submission can patch
    # (json.dumps is Python, and its encoder can be swapped) can alter what gets signed.
    report = t.repr((t.tuple(changed), t.tuple(state["notes"])))
    key = state["key"]
    if key:
        box.append(t.digest(key[0], (challenge + report).encode(), "sha256").hex() + report)
    else:
        box.append("burned:" + "; ".join(state["burned"]))
    # What was taken away is freed when the trampoline returns, outside the checkpoint: a
    # finalizer of the student's must not run while the guard's state is in use.
    box.extend(graveyard)
    graveyard.clear()


def _restore_bindings(state, t, changed, graveyard) -> None:
    """Module attributes, class attributes, sys.modules, sys hooks and the notebook's imports."""
    ignored, missing = t.ignored, t.missing
    for label, (owner, kind, is_module, saved) in state["snapshot"].items():
        if t.type(owner) is not kind:  # a module given a class of the student's
            changed.append(f"{label}.__class__")
            t.object_setattr(owner, "__class__", kind)
        current = t.vars(owner)
        if not t.all(t.type(name) is t.str for name in current):
            changed.append(f"{label} (a key that is not a string)")
            if is_module:
                graveyard.append(t.dict(current))
                keep = {name: value for name, value in current.items() if t.type(name) is t.str}
                current.clear()
                current.update(keep)
        for name, value in saved.items():
            now = current.get(name, missing)
            if now is not value and f"{label}.{name}" not in ignored:
                changed.append(f"{label}.{name}")
                graveyard.append(now)
                try:
                    t.setattr(owner, name, value)
                except (AttributeError, TypeError):
                    current[name] = value  # modules' dicts are plain dicts
        if not is_module:
            # On a class, a new attribute overrides the one it inherits (Tensor.__sub__
            # lives on TensorBase); modules gain attributes honestly (lazy submodules).
            # A copy of the inherited attribute itself (what a patch-and-restore leaves
            # behind) changes nothing and is just removed.
            for name in t.set(current) - t.set(saved):
                if current[name] is not t.inherited(owner, name):
                    changed.append(f"{label}.{name}")
                graveyard.append(current[name])
                t.delattr(owner, name)
    modules = t.modules
    for label, module in state["modules"].items():
        if modules.get(label) is not module:
            changed.append(f"sys.modules[{label!r}]")
            graveyard.append(modules.get(label))
            modules[label] = module
    for name, value in state["hooks"].items():
        if t.vars(t.sys).get(name) is not value:
            changed.append(f"sys.{name}")
            graveyard.append(t.vars(t.sys).get(name))
            t.setattr(t.sys, name, value)
    namespace = state["shell"].user_ns
    if not t.all(t.type(name) is t.str for name in namespace):
        changed.append("the notebook's namespace (a key that is not a string)")
        graveyard.append(t.dict(namespace))
        keep = {name: value for name, value in namespace.items() if t.type(name) is t.str}
        namespace.clear()
        namespace.update(keep)
    if namespace.get(state["secret"]) is not state["trampoline_fn"]:
        changed.append("the grader's checkpoint in the notebook's namespace")
        graveyard.append(namespace.get(state["secret"]))
        namespace[state["secret"]] = state["trampoline_fn"]
    for name, module, attr in state["imports"]:
        value = _pristine(state, t, module, attr)
        if value is not None and name in namespace and namespace[name] is not value:
            changed.append(f"the notebook's name {name!r}")
            graveyard.append(namespace[name])
            namespace[name] = value


def _pristine(state, t, module: str, attr: str | None):
    """What ``from module import attr`` gave before any student code (None: not known)."""
    entry = state["snapshot"].get(module)
    if entry is not None:
        return entry[0] if attr is None else entry[3].get(attr)
    owner = t.modules.get(module)  # imported later (no import here: it could run anything)
    if t.type(owner) is not t.ModuleType:
        return None
    return owner if attr is None else t.vars(owner).get(attr)


def _restore_ipython(state, t, changed, graveyard) -> None:
    """Exception handlers, transformers, event callbacks and method overrides of IPython."""
    shell, kernel = state["shell"], state["kernel"]
    if t.type(shell) is not state["shell_type"]:
        changed.append("the IPython shell's class")
        t.object_setattr(shell, "__class__", state["shell_type"])
    attrs = t.vars(shell)
    if attrs.get("events") is not state["event_manager"]:
        changed.append("IPython's event manager")
        graveyard.append(attrs.get("events"))
        attrs["events"] = state["event_manager"]
    if attrs.get("custom_exceptions"):
        changed.append("an IPython exception handler (set_custom_exc)")
        shell.set_custom_exc((), None)
    for name, saved in state["lists"].items():
        current = t.getattr(shell, name, None)  # the class was checked: a genuine attribute
        if current is not None and (t.type(current) is not t.list or t.len(current) != t.len(saved)
                                    or t.any(a is not b for a, b in t.zip(current, saved))):
            changed.append(f"IPython {name}")
            graveyard.append(current)
            t.setattr(shell, name, t.list(saved))
    libraries = _trust(state)
    callbacks = state["callbacks"]
    manager = t.vars(state["event_manager"])
    if manager.get("callbacks") is not callbacks:
        changed.append("IPython's event callbacks")
        graveyard.append(manager.get("callbacks"))
        manager["callbacks"] = callbacks
    for name, saved in state["events"].items():
        # Removing or replacing IPython's own callbacks, or adding one that is not a
        # library's (TRUSTED_CALLBACKS), is what a submission should not do.
        current = callbacks.get(name, [])
        added = [a for a in current if t.all(a is not b for b in saved)]
        kept = [a for a in added if t.any(a is b for b in libraries)]
        if t.len(kept) != t.len(added) or t.any(t.all(a is not b for a in current) for b in saved):
            changed.append(f"IPython {name} callbacks")
            graveyard.append(current)
            callbacks[name] = saved + kept
    for owner, known, label in ((shell, state["shell_attrs"], "IPython shell"),
                                (kernel, state["kernel_attrs"], "kernel")):
        if owner is None:
            continue
        for name in t.set(t.vars(owner)) - known:
            # A method replaced on the instance shadows the class's own.
            value = t.vars(owner)[name]
            if t.callable(value) and t.hasattr(t.type(owner), name):
                changed.append(f"{label}.{name}")
                graveyard.append(value)
                t.delattr(owner, name)


def _torch_function(state, t, phase, changed) -> None:
    """During a test, Tensor subclasses' ``__torch_function__`` is off (and must stay off)."""
    testing, active = state["testing"], state["torch_function"]
    if phase == "after" and active:
        if state["torch_function_enabled"]():
            changed.append("torch's __torch_function__ switch")
        active.pop().__exit__(None, None, None)
    if phase == "after" and t.len(testing) > 1:
        changed.append("the call stack (inspected)")
    testing[:] = [False]
    if phase == "before":
        context = state["disable_subclasses"]()
        context.__enter__()
        active.append(context)
        testing[0] = True


_MISSING = object()


def _inherited(cls: type, name: str):
    """What ``cls.name`` would be without ``cls``'s own entry (``_MISSING`` if nothing)."""
    for base in cls.__mro__[1:]:
        if name in vars(base):
            return vars(base)[name]
    return _MISSING
