"""autograder/workspace.py without a sandbox: what a cold kernel home holds, and that a run
whose slots cannot start falls back to cold homes (zygote.Slot replaced by a stand-in)."""

import os

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


def test_a_stopped_slot_is_replaced_and_all_are_closed(folders, monkeypatch, tmp_path):
    submission, fonts = folders
    made = []

    class FakeSlot:
        def __init__(self, env, extra=(), modules=()):
            self.workdir, self.ipc = tmp_path / f"w{len(made)}", tmp_path / f"i{len(made)}"
            self.alive, self.closed, self.loaded = True, 0, []
            made.append(self)

        def healthy(self):
            return self.alive

        def load(self, folder, extra=()):
            self.loaded.append((folder, extra))

        def close(self):
            self.closed += 1

    monkeypatch.setattr(workspace.zygote, "Slot", FakeSlot)
    monkeypatch.setattr(workspace.sandbox, "environment", dict)
    homes = workspace.Workspaces(fonts, ["torch"])
    first = homes.warm(submission)
    assert first.slot is made[0] and made[0].loaded == [(submission, [(fonts, ".matplotlib")])]
    assert homes.warm(submission).slot is made[0]  # one slot per thread, reused
    made[0].alive = False
    assert not homes.healthy(first)
    assert homes.warm(submission).slot is made[1] and made[0].closed == 1
    homes.close()
    assert made[1].closed == 1


def test_prestarted_slots_go_to_the_first_threads_and_each_is_closed_once(folders, monkeypatch,
                                                                          tmp_path):
    """prestart(n) boots n slots without waiting; each of the first n threads waits for one
    of them (no new slot) and a later thread starts its own; close() stops each once."""
    import threading

    submission, fonts = folders
    made = []

    class FakeSlot:
        def __init__(self, env, extra=(), modules=(), wait=True):
            self.workdir, self.ipc = tmp_path / f"w{len(made)}", tmp_path / f"i{len(made)}"
            self.waited, self.closed = int(wait), 0
            made.append(self)

        def wait(self):
            self.waited += 1

        def healthy(self):
            return True

        def load(self, folder, extra=()):
            pass

        def close(self):
            self.closed += 1

    monkeypatch.setattr(workspace.zygote, "Slot", FakeSlot)
    monkeypatch.setattr(workspace.sandbox, "environment", dict)
    homes = workspace.Workspaces(fonts, ["torch"])
    homes.prestart(2)
    assert len(made) == 2 and [s.waited for s in made] == [0, 0]
    got = []
    for _ in range(3):  # three worker threads
        thread = threading.Thread(target=lambda: got.append(homes.warm(submission).slot))
        thread.start()
        thread.join(timeout=10)
    assert set(got[:2]) == set(made[:2]) and got[2] is made[2]
    assert [s.waited for s in made] == [1, 1, 1]
    homes.close()
    assert [s.closed for s in made] == [1, 1, 1]
