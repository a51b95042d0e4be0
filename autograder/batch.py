"""Grade every submission of an assignment: N sandboxed kernels at a time, nbgrader's gradebook.

nbgrader's ``autograde`` reads a submission, *sanitizes* it (restores the instructor's test
cells, points and metadata from the gradebook), *executes* it, then records the grades. Only
the execution is slow and only it runs student code, so the grader splits it out. Each step
is a module; this one is the orchestration (:class:`Grader`):

1. **Stage** (main thread, ``autograder/stage.py``): copy ``submitted/<student>/<assignment>/``
   to a staging folder and, unsanitized, to the kernel's; a notebook that is missing or cannot
   be read is replaced by the blank release notebook and flagged; edited test cells are
   flagged (nbgrader restores them), and so are answers that use what no answer needs.
2. **Sanitize** (main thread, ``autograder/record.py``): nbgrader's own sanitize preprocessors
   on the staged copy (written back sanitized). A notebook they refuse is graded as the blank.
3. **Execute** (``jobs`` worker threads, ``autograder/execute.py``):
   :class:`autograder.execute.GuardedExecute`, each kernel in its own sandbox, at home in
   the thread's warm slot or a cold folder (``autograder/workspace.py``).
4. **Record** (main thread, as each execution finishes, ``autograder/record.py``): nbgrader's
   real ``Autograde`` converter on the staging folder, its ``Execute`` step replaced by
   :class:`autograder.record.Replay`, which hands over the outputs of step 3. Everything else
   (students, submissions, timestamps, late penalties, ``autograded/`` files, the grades) is
   nbgrader's own code, so the formgrader, ``generate_feedback`` and ``export`` work unchanged.

Every step of one student runs behind one boundary, :meth:`Grader._per_student`: whatever it
raises makes that student *failed* (``error`` says why, in one line) and the others go on,
their gradebook rows untouched. Nothing a submission contains stops the batch. The
:class:`Grader` also keeps the threads, the progress lines, the summary and what warms the
kernels (:func:`warm_modules`, :func:`warm_data`, :func:`font_cache`).

Only the main thread touches the gradebook, so SQLite needs no locking; ``db_url`` may name
a PostgreSQL database shared by several graders instead.
"""

import ast
import collections
import concurrent.futures
import contextlib
import copy
import dataclasses
import json
import os
import pathlib
import shutil
import threading
import time

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder import record, sandbox, speedups, stage, workspace
from autograder.execute import GuardedExecute, KernelStartError
from autograder.limits import MEMORY_BYTES, WALL_SECONDS
from autograder.record import RecordFlags, Replay, kept_flags  # noqa: F401 - names batch had
from autograder.stage import one_line

STAGING = ".grading"  # relative to the course root; removed after each run


@dataclasses.dataclass
class Result:
    """What happened to one submission."""

    student: str
    status: str  # graded | failed | skipped
    score: float | None = None
    max_score: float | None = None
    flags: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    error: str = ""


def load_config(root: pathlib.Path, db_url: str | None = None) -> Config:
    """The course's nbgrader configuration, rooted at ``root``."""
    config = Config()
    if (root / "nbgrader_config.py").is_file():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())
    config.CourseDirectory.root = str(root)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return config


def import_bindings(source_nb) -> list[list]:
    """Names the instructor's cells import: (name, module, attribute or None).

    The guard checks these names still mean what the instructor imported before each test.
    """
    found = []
    for cell in source_nb.cells:
        if cell.cell_type != "code" or utils.is_solution(cell):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        found.append([alias.asname, alias.name, None])
                    else:
                        top = alias.name.split(".")[0]
                        found.append([top, top, None])
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    if alias.name != "*":
                        found.append([alias.asname or alias.name, node.module, alias.name])
    return found


#: Modules that course.data's loaders import, by the call that needs them.
LOADER_MODULES = {"breast_cancer(": "sklearn.datasets", "words(": "wordfreq"}


def warm_modules(sources, source_text: str) -> list[str]:
    """What a warm kernel of this assignment should have imported: every module the
    instructor's cells import, and those course.data's loaders will import."""
    found = {module for nb in sources for _, module, _ in import_bindings(nb)}
    found |= {module for call, module in LOADER_MODULES.items() if call in source_text}
    return sorted(found)


def warm_data(source_text: str) -> None:
    """Build the derived data files a notebook needs; the sandbox sees the cache read-only."""
    from course import data

    if "fashion_mnist(" in source_text:
        data.fashion_mnist(train=True)
    if "mnist(" in source_text.replace("fashion_mnist(", ""):
        data.mnist(train=True)


def font_cache() -> pathlib.Path:
    """matplotlib's font list, built once (in the data cache) instead of in every kernel.

    Each kernel gets a copy in its folder: building it there would run ``fc-list``.
    """
    import subprocess
    import sys

    from course import data

    folder = data.cache_dir() / "matplotlib"
    if not list(folder.glob("fontlist-*.json")):
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"],
                       env={**os.environ, "MPLCONFIGDIR": str(folder)}, check=True,
                       capture_output=True, timeout=300)
    return folder


class Grader:
    """One grading run of one assignment (state: config, staging folder, gradebook)."""

    def __init__(self, assignment: str, root=".", *, db_url=None, jobs=None, force=False,
                 memory=MEMORY_BYTES, wall=WALL_SECONDS, warm=True, log=print, students=None,
                 kept_workspaces: dict | None = None):
        speedups.install()  # nbgrader's repeated schema and table checks, once per process
        self.assignment, self.root = assignment, pathlib.Path(root).resolve()
        self.config = load_config(self.root, db_url)
        self.coursedir = CourseDirectory(config=self.config)
        self.db_url = self.coursedir.db_url
        self.jobs = jobs or os.cpu_count() or 1
        self.force, self.memory, self.wall, self.log = force, memory, wall, log
        # Only these students' submissions (the grading service's batch); None: every one.
        self.only = None if students is None else set(students)
        self.staging = self.root / STAGING / "submitted"  # what nbgrader sanitizes and records
        self.handed_in = self.root / STAGING / "handed-in"  # what the kernel's folder holds
        self.flags: dict[str, list[str]] = {}
        self.timing: collections.Counter = collections.Counter()  # seconds per step
        self.warm = warm
        # Kernel homes: made by _setup and closed by run(); or, when a long-lived caller (the
        # grading service) keeps them in `kept_workspaces` (it closes them), reused by the
        # next run of the same assignment, warm slots and all.
        self.workspaces: workspace.Workspaces | None = None
        self.kept = kept_workspaces
        self._lock = threading.Lock()
        self._sanitizers = None  # nbgrader's sanitize preprocessors, as configured
        self.modules: list[str] = []  # what warm kernels import in advance (set by _setup)
        self._begun: dict[str, float] = {}  # student -> when their first notebook began to run
        self.results: dict[str, Result] = {}  # student -> outcome, as each one is known
        self._total = 0  # submissions this run grades or fails (the progress lines' N)
        self.first_cell: float | None = None  # when (epoch) a kernel first ran a cell

    def _add_time(self, step: str, seconds: float) -> None:
        with self._lock:
            self.timing[step] += seconds

    @contextlib.contextmanager
    def _timed(self, step: str):
        start = time.monotonic()
        try:
            yield
        finally:
            self._add_time(step, time.monotonic() - start)

    @contextlib.contextmanager
    def _per_student(self, student: str, step: str):
        """The boundary around every step of one student's grading: whatever it raises makes
        that student *failed* (in :attr:`results`, with the error in one line) and the batch
        goes on. A submission can make nbgrader or this module raise anywhere (odd metadata, a
        folder where a notebook should be, ...); it must cost only its own grade. The steps
        after it skip a student who already has a result."""
        try:
            yield
        except Exception as error:  # noqa: BLE001 - whatever one submission made a step raise
            result = Result(student, "failed", flags=self.flags.get(student, []),
                            seconds=self._seconds(student), error=f"{step}: {one_line(error)}")
            self.results[student] = result
            self._progress(result)

    # -- steps --------------------------------------------------------------------------
    def students(self) -> list[str]:
        """Who has a ``submitted/<student>/<assignment>/`` (of :attr:`only`, if given)."""
        folder = self.root / self.coursedir.submitted_directory
        found = sorted(p.parent.name for p in folder.glob(f"*/{self.assignment}") if p.is_dir())
        return [s for s in found if self.only is None or s in self.only]

    def notebooks(self, gb) -> list[str]:
        try:
            return [nb.name for nb in gb.find_assignment(self.assignment).notebooks]
        except MissingEntry:
            raise SystemExit(f"{self.assignment} is not in the gradebook {self.db_url}: run "
                             f"`nbgrader generate_assignment {self.assignment}` first") from None

    def stage(self, student: str, gb, notebooks: list[str]) -> None:
        """:func:`autograder.stage.stage` for one student: staged and handed-in copies."""
        stage.stage(self.root / self.coursedir.submitted_directory / student / self.assignment,
                    self.staging / student / self.assignment,
                    self.handed_in / student / self.assignment,
                    self.root / self.coursedir.release_directory / self.assignment,
                    notebooks, gb, self.assignment, ignore=self.coursedir.ignore,
                    max_bytes=self.coursedir.max_file_size * 1000,
                    flags=self.flags.setdefault(student, []))

    def sanitize(self, student: str, notebook: str):
        """nbgrader's sanitize steps (``Autograde.sanitize_preprocessors``) on the staged copy,
        which is rewritten sanitized (:func:`autograder.record.sanitize`): :meth:`record` then
        has nothing left to sanitize."""
        path = self.staging / student / self.assignment / f"{notebook}.ipynb"
        resources = {"nbgrader": {"student": student, "assignment": self.assignment,
                                  "notebook": notebook, "db_url": self.db_url}}
        if self._sanitizers is None:
            self._sanitizers = record.sanitizers(self.config, self.coursedir)
        return record.sanitize(path, resources, self.config, self._sanitizers)

    def _sanitized(self, student: str, notebook: str):
        """:meth:`sanitize`, but a notebook nbgrader refuses (it raises: test cells turned into
        answers, checksums that cannot match, ...) is graded as the blank one, and flagged:
        one submission must never stop the batch."""
        try:
            return self.sanitize(student, notebook)
        except Exception as error:  # noqa: BLE001 - whatever the submission made nbgrader raise
            reason = one_line(error)
            self.flags.setdefault(student, []).append(
                f"{notebook}.ipynb could not be graded as submitted ({reason}); it was graded "
                "as the blank notebook.")
            name = f"{notebook}.ipynb"
            shutil.copy(self.root / self.coursedir.release_directory / self.assignment / name,
                        self.staging / student / self.assignment / name)
            return self.sanitize(student, notebook)

    def _seconds(self, student: str) -> float:
        """Seconds since this student's first notebook began to run (not since it was queued)."""
        now = time.monotonic()
        return now - self._begun.get(student, now)

    def execute(self, student: str, notebook: str, nb, imports) -> tuple:
        """Run one sanitized notebook in a sandbox (a worker thread): warm if possible.

        A warm kernel is forked by this thread's slot (``autograder/workspace.py``). If the
        zygote dies meanwhile (a submission can kill it: same user), the submission is
        graded again in a cold sandbox of its own, so nothing depends on the slot.
        """
        with self._lock:
            self._begun.setdefault(student, time.monotonic())
        folder = self.handed_in / student / self.assignment
        retried = None
        home = self.workspaces.warm(folder)
        if home is not None:
            backup, client, healthy = copy.deepcopy(nb), None, False
            try:
                client, nb = self._run(nb, imports, home)
            except KernelStartError:
                pass  # graded cold below
            finally:  # the slot goes back to the pool only if its zygote still runs
                healthy = client is not None and self.workspaces.healthy(home)
                (self.workspaces.release if healthy else self.workspaces.drop)(home)
            if healthy:
                return nb, client.flags
            if client is not None:
                retried = ("The grader's warm-kernel process stopped while this notebook ran "
                           "(killed from inside the sandbox?); it was graded again from scratch.")
            nb = backup
        with self.workspaces.cold(folder) as home:
            client, nb = self._run(nb, imports, home)
            return nb, [retried, *client.flags] if retried else client.flags

    def _run(self, nb, imports, home: workspace.Home):
        """One guarded execution; (the client, with its flags, and the executed notebook)."""
        client = GuardedExecute(config=self.config, workdir=home.workdir, ipc_dir=home.ipc,
                                imports=imports, memory=self.memory, wall=self.wall,
                                slot=home.slot)
        start = time.monotonic()
        try:
            nb, _ = client.preprocess(nb, {"metadata": {"path": str(home.workdir)}})
        finally:
            self._add_time("execute", time.monotonic() - start)
            for part, seconds in client.timing.items():
                self._add_time(f"execute.{part}", seconds)
            if client.first_cell is not None:
                with self._lock:
                    self.first_cell = min(self.first_cell or client.first_cell, client.first_cell)
        return client, nb

    def record(self, student: str) -> Result:
        """:func:`autograder.record.record`: nbgrader's Autograde converter on the staged
        submission, with :class:`~autograder.record.Replay`."""
        try:
            score, max_score = record.record(self.config, self._submitted, student,
                                             self.assignment, self.db_url,
                                             self.coursedir.course_id)
        except record.RecordError as error:
            return Result(student, "failed", error=str(error))
        return Result(student, "graded", score, max_score)

    def should_grade(self, student: str) -> bool:
        """nbgrader's own rule: skip what is already autograded unless forced or resubmitted."""
        return record.should_grade(self.config, self._submitted, student, self.assignment,
                                   self.force)

    @property
    def _submitted(self) -> str:
        """The staging folder, relative to the root: nbgrader's submitted_directory there."""
        return str(self.staging.relative_to(self.root))

    # -- the run ------------------------------------------------------------------------
    def run(self) -> list[Result]:
        started = time.monotonic()
        with self._timed("setup"):
            todo, notebooks, imports, students = self._setup()
        skipped = sum(1 for r in self.results.values() if r.status == "skipped")
        failed = len(self.results) - skipped
        self._total = len(todo) + failed
        self.log(f"Grading {len(todo)} submission(s) of {self.assignment} with {self.jobs} "
                 f"sandboxed kernel(s); {skipped} already graded (use --force to redo)"
                 + (f"; {failed} failed before grading." if failed else "."))
        try:
            self._grade_all(todo, notebooks, imports)
        finally:
            if self.workspaces is not None and self.kept is None:
                self.workspaces.close()
            shutil.rmtree(self.root / STAGING, ignore_errors=True)
        ordered = [self.results[s] for s in students]
        self._summary(ordered, time.monotonic() - started)
        return ordered

    def _setup(self):
        sandbox.check()
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            notebooks = self.notebooks(gb)
            source_dir = self.root / self.coursedir.source_directory / self.assignment
            sources = {name: nbformat.read(source_dir / f"{name}.ipynb", 4) for name in notebooks}
            students = self.students()
            self._total = len(students)
            # The worker threads' warm slots boot (seconds: torch and the notebooks' imports)
            # while the submissions are staged, checked and sanitized.
            text = json.dumps([nb.cells for nb in sources.values()], default=str)
            warm_data(text)  # before any sandbox starts: they bind the data cache as it is
            self.modules = warm_modules(sources.values(), text)
            self.fonts = font_cache()
            key = (self.assignment, tuple(self.modules), self.warm)
            self.workspaces = (self.kept or {}).get(key)
            if self.workspaces is None:
                self.workspaces = workspace.Workspaces(self.fonts, self.modules, warm=self.warm,
                                                       log=self.log)
                if self.kept is not None:
                    self.kept[key] = self.workspaces
            self.workspaces.prestart(min(self.jobs, len(students)))
            for student in students:
                with self._per_student(student, "stage"), self._timed("stage"):
                    self.stage(student, gb, notebooks)
        imports = {name: import_bindings(nb) for name, nb in sources.items()}
        todo = []
        for student in students:
            if student in self.results:
                continue
            with self._per_student(student, "check"):
                if self.should_grade(student):
                    todo.append(student)
                else:
                    self.results[student] = self._existing(student)
        return todo, notebooks, imports, students

    def _grade_all(self, todo, notebooks, imports) -> None:
        pending = {}
        with concurrent.futures.ThreadPoolExecutor(self.jobs) as pool:
            for student in todo:
                for name in notebooks:
                    with self._per_student(student, "sanitize"), self._timed("sanitize"):
                        nb = self._sanitized(student, name)
                        future = pool.submit(self.execute, student, name, nb, imports[name])
                        pending[future] = (student, name)
                    if student in self.results:
                        break
            left = {s: len(notebooks) for s in todo}
            for future in concurrent.futures.as_completed(pending):
                student, name = pending[future]
                if student in self.results:  # failed at an earlier step or notebook
                    continue
                with self._per_student(student, "execute"):
                    executed, flags = future.result()
                    self.flags[student].extend(f for f in flags if f not in self.flags[student])
                    record.EXECUTED[(student, name)] = (executed, self.flags[student])
                    left[student] -= 1
                if left[student] == 0 and student not in self.results:
                    with self._per_student(student, "record"), self._timed("record"):
                        result = self.record(student)
                        result.flags = self.flags[student]
                        result.seconds = self._seconds(student)
                        self.results[student] = result
                        self._progress(result)

    def write_reports(self, results: list[Result]) -> pathlib.Path:
        """reports/ASSIGNMENT/: summary.json (every submission, its flags) and the report."""
        from autograder.report import write_report

        out = self.root / "reports" / self.assignment
        out.mkdir(parents=True, exist_ok=True)
        (out / "summary.json").write_text(json.dumps(
            [dataclasses.asdict(r) for r in results], indent=1, ensure_ascii=False) + "\n")
        flags = {r.student: r.flags for r in results}
        paths = write_report(self.assignment, self.db_url, out, flags)
        self.log(f"Report: {paths['md']}")
        return out

    def _existing(self, student: str) -> Result:
        """An already autograded submission: its score and the flags kept in its notebooks."""
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            submission = gb.find_submission(self.assignment, student)
            result = Result(student, "skipped", submission.score, submission.max_score)
        folder = self.root / self.coursedir.autograded_directory / student / self.assignment
        result.flags = record.kept_flags(folder)
        return result

    def _progress(self, r: Result) -> None:
        done = sum(1 for x in self.results.values() if x.status != "skipped")
        score = f"{r.score:g}/{r.max_score:g}" if r.score is not None else r.status
        flag = f"  FLAGGED: {' | '.join(r.flags)}" if r.flags else ""
        error = f"  {r.error}" if r.error else ""
        self.log(f"[{done}/{self._total}] {r.student}: {score} ({r.seconds:.1f} s){flag}{error}")

    def _summary(self, results: list[Result], seconds: float) -> None:
        graded = [r for r in results if r.status == "graded"]
        self.log(f"{self.assignment}: {len(graded)} graded, "
                 f"{sum(1 for r in results if r.flags)} flagged, "
                 f"{sum(1 for r in results if r.status == 'failed')} failed, "
                 f"{sum(1 for r in results if r.status == 'skipped')} skipped in {seconds:.1f} s"
                 + (f" ({seconds / len(graded):.2f} s per submission)" if graded else ""))
        self.log("time: " + ", ".join(f"{step} {self.timing[step]:.1f} s" for step in
                                      ("setup", "sanitize", "execute", "record"))
                 + f" (execute: kernel seconds, {self.jobs} at a time)")
        self.log("profile: " + " ".join(f"{step}={seconds:.3f}" for step, seconds in
                                        sorted(self.timing.items()))
                 + (f" first_cell_epoch={self.first_cell:.3f}" if self.first_cell else ""))
