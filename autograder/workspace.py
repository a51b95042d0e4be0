"""Where step 3 runs one notebook's kernel: a warm slot or a cold sandbox folder, one interface.

A :class:`Home` is what :class:`autograder.execute.GuardedExecute` needs: the sandbox's
working folder (``/submission`` inside, holding a copy of the handed-in submission and
matplotlib's font cache as ``.matplotlib``), its socket folder, and the warm slot that forks
the kernel (``None``: the kernel starts from scratch).

* :meth:`Workspaces.warm`: a slot (``autograder/zygote.py``) from the pool, emptied and
  reloaded for each notebook, held by one worker thread until it gives it back
  (:meth:`Workspaces.release`). Slots are started when none is free, or ahead of need
  (:meth:`Workspaces.prestart`), and outlive a run when the caller keeps the pool (the grading
  service: no zygote to boot for each batch). A slot that stopped (a submission can kill its
  zygote: same user) is replaced; if none can start, warm kernels are turned off and every
  notebook gets a cold home.
* :meth:`Workspaces.cold`: a temporary folder of its own, removed afterwards.

Only the pool is shared between threads; :meth:`Workspaces.close` stops every slot.
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
    """The kernel homes of one grading run, or of a service's many: a pool of warm slots that
    the worker threads borrow one at a time (:meth:`warm`, then :meth:`release` or
    :meth:`drop`), or cold folders."""

    def __init__(self, fonts: pathlib.Path, modules=(), *, warm: bool = True, log=print):
        self.fonts, self.modules, self.enabled, self.log = fonts, list(modules), warm, log
        self._lock = threading.Lock()
        self._slots: list = []  # every slot started and not yet closed
        self._free: list = []  # slots no thread holds (prestarted ones may still boot)

    def prestart(self, count: int) -> None:
        """Have `count` free slots, starting the missing ones now without waiting for them:
        their zygotes warm up (seconds: torch and the course's imports) while the grader
        stages and sanitizes, and the first threads that need a slot take them."""
        if not self.enabled:
            return
        for _ in range(count - len(self._free)):
            try:
                slot = zygote.Slot(sandbox.environment(), extra=[(self.fonts, FONTS)],
                                   modules=self.modules, wait=False)
            except (RuntimeError, OSError) as error:
                self.log(f"warm kernels unavailable ({error}); starting cold kernels")
                self.enabled = False
                return
            with self._lock:
                self._free.append(slot)
                self._slots.append(slot)

    def warm(self, folder: pathlib.Path) -> Home | None:
        """A free slot (or a new one) with ``folder`` (a handed-in submission) loaded, held
        by the caller until :meth:`release` or :meth:`drop`; ``None`` when warm kernels are
        off or cannot start here (the caller then uses :meth:`cold`)."""
        slot = self._slot() if self.enabled else None
        if slot is None:
            return None
        slot.load(folder, extra=[(self.fonts, FONTS)])
        return Home(slot.workdir, slot.ipc, slot)

    def healthy(self, home: Home) -> bool:
        """Whether a warm home's zygote still runs (a cold home always is)."""
        return home.slot is None or home.slot.healthy()

    def release(self, home: Home) -> None:
        """Give a warm home's slot back to the pool (closed instead if its zygote stopped)."""
        if home.slot is None:
            return
        if not home.slot.healthy():
            self.drop(home)
            return
        with self._lock:
            self._free.append(home.slot)

    def drop(self, home: Home) -> None:
        """Close a warm home's slot; a new one is started when one is next needed."""
        if home.slot is not None:
            home.slot.close()
            with self._lock:
                if home.slot in self._slots:
                    self._slots.remove(home.slot)

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
        """Stop every slot."""
        with self._lock:
            slots, self._slots, self._free = self._slots, [], []
        for slot in slots:
            slot.close()

    def _slot(self):
        """A free healthy slot, else a new one (None: warm kernels cannot start here)."""
        while True:
            with self._lock:
                slot = self._free.pop(0) if self._free else None
            if slot is None:
                break
            try:
                slot.wait()  # a prestarted slot may still be warming up
            except RuntimeError as error:
                self.log(f"a warm slot did not start ({error}); starting another")
                with self._lock:
                    if slot in self._slots:
                        self._slots.remove(slot)
                continue
            if slot.healthy():
                return slot
            self.drop(Home(slot.workdir, slot.ipc, slot))
        try:
            slot = zygote.Slot(sandbox.environment(), extra=[(self.fonts, FONTS)],
                               modules=self.modules)
        except RuntimeError as error:
            self.log(f"warm kernels unavailable ({error}); starting cold kernels")
            self.enabled = False
            return None
        with self._lock:
            self._slots.append(slot)
        return slot
