"""autograder/limits.py is the one set of defaults: the command line, the Grader and the
executor take theirs from it, and the kernel's rlimits are its values. No sandbox needed."""

import inspect
import os

import nbformat.v4

from autograder import __main__ as cli
from autograder import batch, execute, limits


def _defaults(function) -> dict:
    return {name: p.default for name, p in inspect.signature(function).parameters.items()
            if p.default is not inspect.Parameter.empty}


def test_grader_and_executor_share_the_defaults():
    grader, executor = _defaults(batch.Grader.__init__), _defaults(execute.GuardedExecute.__init__)
    assert grader["wall"] == executor["wall"] == limits.WALL_SECONDS == 300
    assert grader["memory"] == executor["memory"] == limits.MEMORY_BYTES == 4 * 1024**3
    assert executor["max_output"] == limits.CELL_OUTPUT_CHARS
    assert executor["max_total_output"] == limits.NOTEBOOK_OUTPUT_CHARS


def test_command_line_defaults_are_the_limits(monkeypatch):
    seen = {}

    class FakeGrader:
        def __init__(self, assignment, root, **kwargs):
            seen.update(kwargs)

        def run(self):
            return []

    monkeypatch.setattr(batch, "Grader", FakeGrader)
    monkeypatch.setenv("PATH", os.environ["PATH"])  # main() puts the venv's bin/ first
    assert cli.main(["grade", "demo", "--no-report"]) == 0
    assert seen["wall"] == limits.WALL_SECONDS
    assert seen["memory"] == limits.MEMORY_BYTES


def test_kernel_rlimits_are_the_limits(tmp_path, monkeypatch):
    """The environment GuardedExecute hands the kernel (kernel.py turns it into rlimits)."""
    handed = {}

    class FakeManager:
        def __init__(self, **kwargs):
            pass

        def configure(self, workdir, ipc_dir, env, slot):
            handed.update(env)

    monkeypatch.setattr(execute, "SandboxKernelManager", FakeManager)
    monkeypatch.setattr(execute.sandbox, "environment", dict)
    monkeypatch.setattr(execute.sandbox, "readable_paths", list)
    client = execute.GuardedExecute(workdir=tmp_path, ipc_dir=tmp_path)
    client.nb = nbformat.v4.new_notebook()
    client.create_kernel_manager()
    assert handed["AUTOGRADER_MEMORY"] == str(limits.MEMORY_BYTES)
    assert handed["AUTOGRADER_CPU"] == str(2 * limits.WALL_SECONDS)
    assert handed["AUTOGRADER_FILE_SIZE"] == str(limits.FILE_BYTES)
    if os.geteuid() == 0:
        assert handed["AUTOGRADER_PROCESSES"] == str(limits.PROCESSES)
