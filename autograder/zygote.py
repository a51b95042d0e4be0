"""Warm kernels: fork each grading kernel from a sandboxed process that has imported torch.

Starting a kernel costs ~2-3 s, mostly importing torch; grading a short notebook costs about
as much again. A *zygote* imports the heavy modules once, inside a slot's sandbox
(``autograder/sandbox.py``, same mounts and user as a cold kernel), and forks a fresh kernel
for each submission graded in that slot. The student's code only ever runs in the forked
child, never in the zygote, which is also made non-dumpable so that a same-uid process cannot
ptrace it or write its memory.

Between two submissions the zygote kills every other process it can signal in the sandbox
(``kill(-1)``: the kernel, whatever it left behind in the background), empties ``/tmp`` and
``/dev/shm`` and removes System V IPC objects; the grader empties ``/submission``. A
submission therefore starts from the same state as in a cold sandbox, except that modules
were imported before it ran (the guard snapshots them after the fork, before student code).

Jupyter starts "the kernel process" with :func:`proxy`: a small process outside the sandbox
that asks the zygote for a kernel and lives exactly as long as it. Killing the proxy (wall
cap, shutdown) makes the zygote kill the kernel.

    python -m autograder.zygote serve SOCKET [MODULE ...]   # in the sandbox
    python -m autograder.zygote connect SOCKET FILE         # Jupyter's kernel command
"""

import gc
import json
import os
import select
import signal
import socket
import sys

# torch._dynamo: creating the first optimizer imports it (~1.5 s); matplotlib.pyplot: every
# chapter plots (~0.6 s); ipykernel.debugger (debugpy): every kernel imports it as it starts,
# and the rest of the IPython/ipykernel list as it initializes (~45 ms); the inline backend and
# contour plots: on the first figure.
WARM_MODULES = ["numpy", "torch", "torch.nn", "torch.nn.functional", "torch._dynamo",
                "torchvision", "pandas", "matplotlib.pyplot", "matplotlib.contour",
                "matplotlib_inline.backend_inline",
                "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "zmq",
                "IPython.core.completerlib", "IPython.core.debugger",
                "IPython.extensions.storemagic", "psutil", "tornado.platform.asyncio",
                "course.checks", "course.runtime", "course.scratch", "course.data",
                "autograder.guard", "autograder.kernel"]


def _warm_up(extra=()) -> None:
    """Import WARM_MODULES and ``extra`` (what this assignment's notebooks use) once."""
    import importlib

    # What ipykernel sets before any cell runs; matplotlib reads it when it is imported.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    fonts = os.environ.get("MPLCONFIGDIR")
    have_fonts = bool(fonts and os.path.isdir(fonts)
                      and any(n.startswith("fontlist-") for n in os.listdir(fonts)))
    # Without its font list, importing pyplot would build one (seconds): leave it to the kernel.
    for name in [*WARM_MODULES, *extra]:
        if name == "matplotlib.pyplot" and not have_fonts:
            continue
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the kernel will raise it where the notebook imports it
            continue


def _non_dumpable(flag: int) -> None:
    import ctypes

    PR_SET_DUMPABLE = 4  # noqa: N806 - prctl(2)'s name
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, flag, 0, 0, 0)


def _clean_slate() -> None:
    """Kill every process but this one, then empty the shared scratch places."""
    import shutil
    import subprocess

    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:  # nothing left to kill
        pass
    while True:  # reap
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                break
        except ChildProcessError:
            break
    keep = _mount_paths()
    for folder in ("/tmp", "/dev/shm"):
        _empty(folder, keep, shutil.rmtree)
    try:
        subprocess.run(["ipcrm", "--all"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        pass


def _mount_paths() -> set[str]:
    """Mount points and every folder above them: the binds must survive a clean-up."""
    paths = set()
    with open("/proc/self/mountinfo") as table:
        for line in table:
            point = line.split()[4].encode().decode("unicode_escape")
            while point not in paths and point != "/":
                paths.add(point)
                point = os.path.dirname(point)
    return paths


def _empty(folder: str, keep: set[str], rmtree) -> None:
    """Delete what is in ``folder``, but not mount points nor the way to them."""
    if not os.path.isdir(folder) or os.path.ismount(folder) and folder not in ("/tmp", "/dev/shm"):
        return
    for entry in os.scandir(folder):
        if entry.path in keep:
            if not os.path.ismount(entry.path):
                _empty(entry.path, keep, rmtree)
        elif entry.is_dir(follow_symlinks=False):
            rmtree(entry.path, ignore_errors=True)
        else:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def _child(request: dict) -> None:
    """In the forked process: become the kernel of one submission."""
    os.setsid()
    _non_dumpable(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.chdir("/submission")
    os.environ.clear()
    os.environ.update(request["env"])
    from autograder import kernel

    sys.argv = ["autograder.kernel", "-f", request["connection_file"]]
    kernel.main()


def _handle(conn: socket.socket) -> None:
    request = json.loads(conn.makefile("r").readline())
    _clean_slate()
    pid = os.fork()
    if pid == 0:
        try:
            conn.close()
            _child(request)
        finally:
            os._exit(0)
    status = None
    while status is None:
        ready, _, _ = select.select([conn], [], [], 0.05)
        if ready and not conn.recv(1):  # the proxy went away: end this kernel
            break
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
    _clean_slate()
    try:
        conn.sendall(f"{status if status is not None else -9}\n".encode())
    except OSError:
        pass


def serve(path: str, modules=()) -> None:
    """Warm up, then fork one kernel per connection, one at a time."""
    _warm_up(modules)
    # Kernels share the warm modules' memory with the zygote until they write to it; the
    # garbage collector would touch (and so copy) every object in its first pass.
    gc.collect()
    gc.freeze()
    _non_dumpable(0)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    with open(path + ".ready", "w") as ready:
        ready.write(str(os.getpid()))
    while True:
        conn, _ = server.accept()
        with conn:
            _handle(conn)


def proxy(path: str, connection_file: str) -> int:
    """Jupyter's kernel process: ask for a kernel, exit with its status."""
    env = json.loads(os.environ.get("AUTOGRADER_KERNEL_ENV", "{}"))
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    conn.sendall((json.dumps({"connection_file": connection_file, "env": env}) + "\n").encode())
    answer = conn.makefile("r").readline().strip()
    return int(answer) if answer.lstrip("-").isdigit() else 1


class Slot:
    """One worker's sandbox with a zygote in it, reused for the submissions it grades.

    ``workdir`` is mounted at /submission; ``ipc`` holds the zygote's socket and the kernels'
    connection files and sockets. ``modules`` are imported in the zygote besides WARM_MODULES.
    With ``wait=False`` the zygote warms up while the caller goes on; :meth:`wait` before use.
    """

    def __init__(self, env: dict[str, str], startup_timeout: float = 120, extra=(), modules=(),
                 *, wait: bool = True):
        import pathlib
        import shutil
        import subprocess
        import tempfile
        import time

        from autograder import sandbox

        self.root = pathlib.Path(tempfile.mkdtemp(prefix="grading-slot-"))
        os.chmod(self.root, 0o755)
        self.workdir, self.ipc = self.root / "work", self.root / "ipc"
        self.workdir.mkdir()
        self.ipc.mkdir()
        for source, name in extra:  # e.g. matplotlib's font list, for the warm-up
            shutil.copytree(source, self.workdir / name)
        sandbox.prepare(self.workdir, self.ipc)
        self.socket = str(self.ipc / "zygote.sock")
        argv = sandbox.command(self.workdir, self.ipc,
                               [sys.executable, "-m", "autograder.zygote", "serve", self.socket,
                                *modules],
                               env)
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        self._deadline = time.monotonic() + startup_timeout
        if wait:
            self.wait()

    def wait(self) -> None:
        """Return once the zygote has warmed up and listens; RuntimeError (the slot closed) if
        it exits or is not ready by the startup timeout."""
        import time

        while not os.path.exists(self.socket + ".ready"):
            if self.process.poll() is not None or time.monotonic() > self._deadline:
                self.close()
                raise RuntimeError("the grading sandbox's zygote did not start")
            time.sleep(0.02)

    def healthy(self) -> bool:
        return self.process.poll() is None

    def load(self, folder, extra=()) -> None:
        """Empty /submission and put a copy of ``folder`` (and ``extra`` folders) there."""
        import shutil

        from autograder import sandbox

        # The last kernel's connection file and sockets, and whatever it left in /submission.
        for folder, keep in ((self.ipc, ("zygote.sock", "zygote.sock.ready")), (self.workdir, ())):
            for entry in os.scandir(folder):
                if entry.name in keep:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
        shutil.copytree(folder, self.workdir, dirs_exist_ok=True, symlinks=True)
        for source, name in extra:
            shutil.copytree(source, self.workdir / name)
        sandbox.prepare(self.workdir)

    def close(self) -> None:
        import shutil

        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(proxy(sys.argv[2], sys.argv[3]))
