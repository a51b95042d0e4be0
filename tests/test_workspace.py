"""autograder/workspace.py without a sandbox: what a cold kernel home holds, and that a run
whose slots cannot start falls back to cold homes (zygote.Slot replaced by a stand-in)."""

import os
import pathlib
import tempfile
import threading

import pytest

from autograder import workspace


@pytest.fixture
def folders(tmp_path):
    submission, fonts = tmp_path / "handed-in", tmp_path / "fonts"
    submission.mkdir()
    (submission / "nb.ipynb").write_text("{}")
    fonts.mkdir()
    (fonts / "fontlist-v390.json").write_text("[]")
    return submission, fonts


def test_a_cold_home_holds_the_submission_and_fonts_and_is_removed(folders):
    submission, fonts = folders
    homes = workspace.Workspaces(fonts, warm=False)
    assert homes.warm(submission) is None
    with homes.cold(submission) as home:
        assert home.slot is None and homes.healthy(home)
        assert sorted(p.name for p in home.workdir.iterdir()) == [".matplotlib", "nb.ipynb"]
        assert (home.workdir / ".matplotlib" / "fontlist-v390.json").is_file()
        assert home.ipc.is_dir() and not any(home.ipc.iterdir())
        assert oct(os.stat(home.workdir.parent).st_mode & 0o777) == "0o755"
    assert not home.workdir.parent.exists()


def test_warm_homes_turn_off_when_no_slot_can_start(folders, monkeypatch):
    submission, fonts = folders
    tries, said = [], []

    def no_slot(*args, **kwargs):
        tries.append(1)
        raise RuntimeError("no zygote here")

    monkeypatch.setattr(workspace.zygote, "Slot", no_slot)
    monkeypatch.setattr(workspace.sandbox, "environment", dict)
    homes = workspace.Workspaces(fonts, warm=True, log=said.append)
    assert homes.warm(submission) is None and homes.warm(submission) is None
    assert tries == [1] and not homes.enabled
    assert said == ["warm kernels unavailable (no zygote here); starting cold kernels"]


class FakeSlot:
    """zygote.Slot without a sandbox: records what the pool does with it."""

    made: list = []

    def __init__(self, env, extra=(), modules=(), wait=True):
        base = pathlib.Path(tempfile.gettempdir())
        self.workdir, self.ipc = base / f"w{len(self.made)}", base / f"i{len(self.made)}"
        self.alive, self.closed, self.loaded, self.waited = True, 0, [], int(wait)
        self.made.append(self)

    def wait(self):
        self.waited += 1

    def healthy(self):
        return self.alive

    def load(self, folder, extra=()):
        self.loaded.append((folder, extra))

    def close(self):
        self.closed += 1


@pytest.fixture
def fake_slots(monkeypatch):
    FakeSlot.made = []
    monkeypatch.setattr(workspace.zygote, "Slot", FakeSlot)
    monkeypatch.setattr(workspace.sandbox, "environment", dict)
    return FakeSlot.made


def test_a_released_slot_is_reused_a_stopped_one_replaced_and_all_closed(folders, fake_slots):
    submission, fonts = folders
    made = fake_slots
    homes = workspace.Workspaces(fonts, ["torch"])
    first = homes.warm(submission)
    assert first.slot is made[0] and made[0].loaded == [(submission, [(fonts, ".matplotlib")])]
    second = homes.warm(submission)  # the first is held: a second slot
    assert second.slot is made[1]
    homes.release(first)
    assert homes.warm(submission).slot is made[0]  # given back, then reused
    made[0].alive = False
    assert not homes.healthy(first)
    homes.release(first)  # a stopped slot is closed, not pooled
    assert made[0].closed == 1
    homes.release(second)
    assert homes.warm(submission).slot is made[1]
    homes.drop(second)
    assert made[1].closed == 1 and homes.warm(submission).slot is made[2]
    homes.close()
    assert [s.closed for s in made] == [1, 1, 1]


def test_prestarted_slots_are_taken_first_and_the_pool_outlives_a_run(folders, fake_slots):
    """prestart(n) boots n slots without waiting; the first n borrowers wait for them (no
    new slot); a kept pool with free slots starts nothing more; close() stops each once."""
    submission, fonts = folders
    made = fake_slots
    homes = workspace.Workspaces(fonts, ["torch"])
    homes.prestart(2)
    assert len(made) == 2 and [s.waited for s in made] == [0, 0]
    got = []
    for _ in range(3):  # three worker threads, each holding its slot
        thread = threading.Thread(target=lambda: got.append(homes.warm(submission)))
        thread.start()
        thread.join(timeout=10)
    assert [h.slot for h in got] == made[:3] and [s.waited for s in made] == [1, 1, 1]
    for home in got:
        homes.release(home)
    homes.prestart(2)  # the next run of a grading service: enough free slots already
    assert len(made) == 3
    homes.close()
    assert [s.closed for s in made] == [1, 1, 1]
