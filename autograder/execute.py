"""Execute one sanitized submission notebook in a sandboxed, guarded kernel.

:class:`GuardedExecute` is nbgrader's own ``Execute`` preprocessor (same timeouts, same
handling of an error reply without an error output, same configuration from
``nbgrader_config.py``) with four changes:

* the kernel starts in the sandbox (:class:`SandboxKernelManager`, ``autograder/sandbox.py``);
* around every test cell it calls the guard's checkpoint (``autograder/guard.py``): changes
  made before the test are undone and reported; a change made while the test ran fails it;
* output is capped while it arrives, so a flood cannot fill the grader's memory;
* a kernel that dies, or a notebook that runs past its wall-clock cap, ends the run: every
  test cell not yet run gets an error output, so it scores 0 instead of passing untested.

Every such event becomes a human-readable *flag* in :attr:`GuardedExecute.flags`.
"""

import ast
import collections
import hashlib
import hmac
import json
import os
import pathlib
import secrets
import subprocess
import sys
import threading
import time
from datetime import datetime
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Type

from autograder import sandbox
from autograder.limits import (
    CELL_OUTPUT_CHARS,
    FILE_BYTES,
    MEMORY_BYTES,
    NOTEBOOK_OUTPUT_CHARS,
    PROCESSES,
    WALL_SECONDS,
    GiB,
)
from autograder.utils import is_test_cell

KERNEL_DIED = "the kernel stopped (it crashed, exited or was killed)"


class KernelStartError(RuntimeError):
    """The sandboxed kernel never became ready: nothing of the submission ran."""


def error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output the grader adds (no traceback: there is no student frame to show)."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


def kernel_seconds(cell) -> float:
    """How long the kernel itself ran `cell`: from its execute_input to its execute_reply
    message (nbclient's ``record_timing`` metadata; 0 for a cell that did not run)."""
    timing = cell.get("metadata", {}).get("execution", {})
    begin, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (begin and end):
        return 0.0
    try:
        return max(0.0, (datetime.fromisoformat(end) - datetime.fromisoformat(begin))
                   .total_seconds())
    except (TypeError, ValueError):
        return 0.0


def _out_of_memory(output) -> bool:
    return output.get("output_type") == "error" and (
        output.get("ename") == "MemoryError"
        or "can't allocate memory" in str(output.get("evalue", "")))


class ReadyClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready as soon as the kernel has shown it is.

    jupyter_client's ``wait_for_ready`` waits 0.2 s for an IOPub message after each
    kernel_info reply, and always 0.2 s more to find IOPub quiet: about 0.4 s of every
    submission's grading was these waits. This one proves the same thing (a kernel_info reply
    on shell, then a message on IOPub, so IOPub is subscribed) polling every 20 ms, and drains
    what IOPub already holds without waiting for more: nbclient ignores messages that answer
    no request of its own.
    """

    async def wait_for_ready(self, timeout=None):
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.02)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} s")
        while await self.iopub_channel.msg_ready():
            await self.iopub_channel.get_msg(timeout=0)


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs ``autograder.kernel`` inside the sandbox."""

    client_factory = Type(ReadyClient, klass=AsyncKernelClient)

    workdir: pathlib.Path
    ipc_dir: pathlib.Path
    kernel_env: dict

    def configure(self, workdir, ipc_dir, kernel_env, slot=None):
        self.workdir, self.ipc_dir, self.kernel_env, self.slot = workdir, ipc_dir, kernel_env, slot
        self.transport = "ipc"
        self.ip = str(ipc_dir / "kernel")
        self.connection_file = str(ipc_dir / "kernel.json")

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None:
            # A signal to the sandbox's outer process would not reach the kernel.
            spec.interrupt_mode = "message"
        return spec

    def format_kernel_cmd(self, extra_arguments=None):
        # Called once the connection file is written (0600, by the grader): hand it over.
        sandbox.prepare(self.ipc_dir)
        if self.slot is not None:  # a warm kernel, forked in the slot's sandbox
            return [sys.executable, "-m", "autograder.zygote", "connect", self.slot.socket,
                    self.connection_file]
        inner = [sys.executable, "-m", "autograder.kernel", "-f", self.connection_file,
                 *(extra_arguments or [])]
        return sandbox.command(self.workdir, self.ipc_dir, inner, self.kernel_env)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # After killing "the kernel" (the proxy or the sandbox's outer process, which exit at
        # once) jupyter_client polls it every 100 ms: half of all shutdowns waited one whole
        # interval (0.1 s per submission). Poll every 5 ms; the caller still bounds the wait.
        await super()._async_wait(pollinterval=min(pollinterval, 0.005))

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        # What the kernel process writes outside Jupyter's channels goes nowhere.
        kw.update(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        kw["env"] = {"PATH": os.environ.get("PATH", ""),
                     "AUTOGRADER_KERNEL_ENV": json.dumps(self.kernel_env)}
        return await super()._async_launch_kernel(kernel_cmd, **kw)


class GuardedExecute(Execute):
    """nbgrader's Execute in a sandbox, with integrity checkpoints and hard caps."""

    def __init__(self, *, workdir, ipc_dir, imports=(), memory=MEMORY_BYTES, wall=WALL_SECONDS,
                 max_output=CELL_OUTPUT_CHARS, max_total_output=NOTEBOOK_OUTPUT_CHARS, slot=None,
                 **kwargs):
        super().__init__(**kwargs)
        # Nothing of a grading kernel is kept: a graceful shutdown only waited (~0.1 s) for it
        # to exit by itself.
        self.shutdown_kernel = "immediate"
        self.slot = slot
        self.workdir, self.ipc_dir = pathlib.Path(workdir), pathlib.Path(ipc_dir)
        self.imports, self.memory, self.wall = list(imports), memory, wall
        self.max_output, self.max_total_output = max_output, max_total_output
        self.flags: list[str] = []
        self.stopped: str | None = None
        self._secret = "_autograder_" + secrets.token_hex(8)
        self._key = secrets.token_bytes(32)
        self._calibrated = False
        self._sizes: dict[int, int] = {}
        self._truncated: set[int] = set()
        self._next_index = 0
        self.started = False  # True once the kernel answered and cells began to run
        # Seconds of this execution by part (bench/grading.py --profile prints the sums):
        # "start" (launch to the first cell), "checkpoints", "cells" (the grader waiting on
        # each cell), "compute" (the kernel's own time in them, from its message timestamps),
        # "grader" (this class's own work between cells), "stop" (after the last cell).
        self.timing: collections.Counter = collections.Counter()
        self._clock = time.monotonic()
        self.first_cell: float | None = None  # when (epoch) the first cell began

    def flag(self, text: str) -> None:
        if text not in self.flags:
            self.flags.append(text)

    # -- kernel -------------------------------------------------------------------------
    def create_kernel_manager(self):
        env = sandbox.environment()
        # The guard's key travels in a file the guard deletes on reading: an environment
        # variable would stay readable in /proc/self/environ.
        key_file = self.ipc_dir / f"guard-{secrets.token_hex(8)}.key"
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(self._key)
        env.update(AUTOGRADER_CHECKPOINT=self._secret, AUTOGRADER_KEY_FILE=str(key_file),
                   AUTOGRADER_IMPORTS=json.dumps(self.imports),
                   AUTOGRADER_READABLE=":".join(map(str, sandbox.readable_paths())),
                   AUTOGRADER_MEMORY=str(self.memory), AUTOGRADER_CPU=str(2 * self.wall),
                   AUTOGRADER_FILE_SIZE=str(FILE_BYTES))
        if os.geteuid() == 0:  # the kernel is nobody: a cap on processes cannot hit the grader's
            env["AUTOGRADER_PROCESSES"] = str(PROCESSES)
        name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name", "python3")
        self.km = SandboxKernelManager(kernel_name=name, config=self.config)
        self.km.configure(self.workdir, self.ipc_dir, env, self.slot)
        return self.km

    def preprocess(self, nb, resources=None, km=None):
        timer = threading.Timer(self.wall, self._past_wall)
        timer.daemon = True
        timer.start()
        self._clock = time.monotonic()
        try:
            nb, resources = super().preprocess(nb, resources, km)
        except (DeadKernelError, RuntimeError) as error:
            if not self.started:  # no student code ran: the grader's problem, not a grade
                raise KernelStartError(f"the kernel did not start: {error}") from error
            self._stop(KERNEL_DIED if isinstance(error, DeadKernelError)
                       else f"the kernel could not run the notebook: {error}")
        finally:
            timer.cancel()
            self._lap("stop" if self.started else "start")
        self._fail_unrun(nb)
        return nb, resources

    def _past_wall(self) -> None:
        self.stopped = self.stopped or f"the notebook ran longer than its {self.wall} s limit"
        if self.km is not None and self.km.provisioner is not None:
            process = getattr(self.km.provisioner, "process", None)
            if process is not None:
                process.kill()

    def _stop(self, reason: str) -> None:
        self.stopped = self.stopped or reason

    def _fail_unrun(self, nb) -> None:
        """Every test cell the kernel never answered scores 0, with the reason."""
        if self.stopped is None:
            return
        self.flag(f"Grading stopped early: {self.stopped}.")
        for cell in nb.cells[self._next_index:]:
            if is_test_cell(cell) and not any(o.output_type == "error" for o in cell.outputs):
                cell.outputs.append(error_output("GradingStopped", self.stopped))

    # -- cells --------------------------------------------------------------------------
    def _lap(self, part: str) -> None:
        """Add the seconds since the last lap to `part` of :attr:`timing`."""
        now = time.monotonic()
        self.timing[part] += now - self._clock
        self._clock = now

    def preprocess_cell(self, cell, resources, index):
        if not self.started:
            self._lap("start")
            self.first_cell = time.time()
        self.started = True
        if self.stopped is not None:
            return cell, self.resources
        self._next_index = index
        if not self._calibrated:  # before any student code: the guard records the call stack
            self._calibrated = True
            for name in self._checkpoint(""):
                self.flag(f"Changed {name} before any student code ran.")
            if self.stopped is not None:
                return cell, self.resources
        test = is_test_cell(cell)
        if test:
            for name in self._checkpoint("before"):
                self.flag(f"Changed {name} before a test; the original was put back.")
            if self.stopped is not None:
                return cell, self.resources
        self._lap("checkpoints" if test or index == 0 else "grader")
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stop(KERNEL_DIED)
            return cell, self.resources
        finally:
            self._lap("cells")
            self.timing["compute"] += kernel_seconds(cell)
        self._next_index = index + 1
        if any(_out_of_memory(o) for o in cell.get("outputs", [])):
            self.flag(f"Ran out of memory (a kernel may use {self.memory / GiB:g} GiB).")
        if test:
            during = self._checkpoint("after")
            self._lap("checkpoints")
            if during or self.stopped is not None:
                names = ", ".join(during) or "the grader's integrity check"
                grade_id = cell.metadata.nbgrader["grade_id"]
                self.flag(f"Changed {names} while test {grade_id!r} ran; that test scores 0.")
                cell.outputs.append(error_output(
                    "IntegrityError", f"{names} changed while this test ran"))
        return cell, self.resources

    def _checkpoint(self, phase: str) -> list[str]:
        """Ask the guard in the kernel what changed (and have it put things back).

        The guard signs its report (HMAC of a fresh challenge + the report, under the key
        only it and this grader hold). No answer, or one that does not verify, means the
        guard was removed, replaced or tampered with: from then on no test result can be
        trusted, so grading stops (the rest scores 0).
        """
        challenge = secrets.token_hex(16)
        try:
            msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={
                "r": f"{self._secret}({challenge!r}, {phase!r})"})
            reply = self.wait_for_reply(msg_id)
        except DeadKernelError:
            self._stop(KERNEL_DIED)
            return []
        try:
            result = reply["content"]["user_expressions"]["r"]
            text = ast.literal_eval(result["data"]["text/plain"])
            if not isinstance(text, str):
                raise ValueError("not a string")
            if text.startswith("burned:"):
                self._stop("the grader's integrity check was tampered with (the kernel says: "
                           f"{text[len('burned:'):][:200] or 'no reason'})")
                return []
            signature, report = text[:64], text[64:]
            expected = hmac.new(self._key, (challenge + report).encode(), hashlib.sha256)
            if not hmac.compare_digest(signature, expected.hexdigest()):
                raise ValueError("signature")
            changed, notes = ast.literal_eval(report)
        except (KeyError, ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            self._stop("the grader's integrity check was removed, replaced or did not answer")
            return []
        for note in notes:
            self.flag(note[0].upper() + note[1:] + ".")
        return list(changed)

    # -- output -------------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(
            len(v) for v in content.get("data", {}).values() if isinstance(v, str))
        self._sizes[cell_index] = self._sizes.get(cell_index, 0) + size
        total = sum(self._sizes.values())
        if self._sizes[cell_index] > self.max_output or total > self.max_total_output:
            if cell_index not in self._truncated:
                self._truncated.add(cell_index)
                self.flag("Printed more output than allowed; the rest was dropped.")
                outs.append(NotebookNode(output_type="stream", name="stdout",
                                         text="\n[output truncated by the autograder]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)
