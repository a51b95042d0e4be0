"""Where step 3 runs one notebook's kernel: a warm slot or a cold sandbox folder, one interface.

A :class:`Home` is what :class:`autograder.execute.GuardedExecute` needs: the sandbox's
working folder (``/submission`` inside, holding a copy of the handed-in submission and
matplotlib's font cache as ``.matplotlib``), its socket folder, and the warm slot that forks
the kernel (``None``: the kernel starts from scratch).

* :meth:`Workspaces.warm`: this worker thread's slot (``autograder/zygote.py``), started on
  first use (or ahead of it, :meth:`Workspaces.prestart`) and emptied and reloaded for each
  notebook. A slot that stopped (a submission can
  kill its zygote: same user) is replaced; if none can start, warm kernels are turned off for
  the rest of the run and every notebook gets a cold home.
* :meth:`Workspaces.cold`: a temporary folder of its own, removed afterwards.

Only this state is shared: one slot per worker thread, all closed by :meth:`Workspaces.close`.
"""

import contextlib
import dataclasses
import os
import pathlib
import shutil
import tempfile
import threading

from autograder import sandbox, zygote

FONTS = ".matplotlib"  # the font cache's folder name in a home (MPLCONFIGDIR)


@dataclasses.dataclass
class Home:
    """One kernel's folders: ``workdir`` (``/submission``), ``ipc`` (sockets), ``slot``."""

    workdir: pathlib.Path
    ipc: pathlib.Path
    slot: "zygote.Slot | None" = None


class Workspaces:
    """The kernel homes of one grading run: warm slots per worker thread, or cold folders."""

    def __init__(self, fonts: pathlib.Path, modules=(), *, warm: bool = True, log=print):
        self.fonts, self.modules, self.enabled, self.log = fonts, list(modules), warm, log
        self._local, self._lock, self._slots = threading.local(), threading.Lock(), []
        self._spare: list = []  # slots started ahead (prestart), not yet taken by a thread

    def prestart(self, count: int) -> None:
        """Start `count` slots now without waiting for them: their zygotes warm up (seconds:
        torch and the course's imports) while the grader stages and sanitizes, and the worker
        threads take them on first use."""
        if not self.enabled:
            return
        for _ in range(count):
            try:
                slot = zygote.Slot(sandbox.environment(), extra=[(self.fonts, FONTS)],
                                   modules=self.modules, wait=False)
            except (RuntimeError, OSError) as error:
                self.log(f"warm kernels unavailable ({error}); starting cold kernels")
                self.enabled = False
                return
            with self._lock:
                self._spare.append(slot)
                self._slots.append(slot)

    def warm(self, folder: pathlib.Path) -> Home | None:
        """This thread's slot with ``folder`` (a handed-in submission) loaded; ``None`` when
        warm kernels are off or cannot start here (the caller then uses :meth:`cold`)."""
        slot = self._slot() if self.enabled else None
        if slot is None:
            return None
        slot.load(folder, extra=[(self.fonts, FONTS)])
        return Home(slot.workdir, slot.ipc, slot)

    def healthy(self, home: Home) -> bool:
        """Whether a warm home's zygote still runs (a cold home always is)."""
        return home.slot is None or home.slot.healthy()

    def drop(self, home: Home) -> None:
        """Close a warm home's slot; this thread starts a new one when it next needs it."""
        if home.slot is not None:
            home.slot.close()
            self._local.slot = None

    @contextlib.contextmanager
    def cold(self, folder: pathlib.Path):
        """A fresh sandbox folder of its own holding ``folder``; removed on leaving."""
        with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
            os.chmod(tmp, 0o755)
            home = Home(pathlib.Path(tmp, "work"), pathlib.Path(tmp, "ipc"))
            shutil.copytree(folder, home.workdir)
            shutil.copytree(self.fonts, home.workdir / FONTS)
            home.ipc.mkdir()
            sandbox.prepare(home.workdir, home.ipc)
            yield home

    def close(self) -> None:
        """Stop every slot of this run."""
        with self._lock:
            slots, self._slots, self._spare = self._slots, [], []
        for slot in slots:
            slot.close()

    def _slot(self):
        """This worker thread's warm slot, started on first use (None: cold kernels)."""
        slot = getattr(self._local, "slot", None)
        if slot is not None and not slot.healthy():
            slot.close()
            slot = self._local.slot = None
        if slot is None:
            with self._lock:
                spare = self._spare.pop() if self._spare else None
            try:
                if spare is not None:
                    slot = spare
                    slot.wait()
                else:
                    slot = zygote.Slot(sandbox.environment(), extra=[(self.fonts, FONTS)],
                                       modules=self.modules)
            except RuntimeError as error:
                self.log(f"warm kernels unavailable ({error}); starting cold kernels")
                self.enabled = False
                return None
            self._local.slot = slot
            if spare is None:
                with self._lock:
                    self._slots.append(slot)
        return slot
