"""Which tests run together on one xdist worker, and in which order the groups start.

`make test` runs `pytest -n 2 --dist loadgroup --no-loadscope-reorder`; with this plugin a
*group* is the unit xdist hands to one worker, found from the test's id alone (the controller
sees nothing else):
- the grading round-trip is one group per chapter, `CHAPTER roundtrip`, whose class is graded
  once, and `CHAPTER plain`, the sample graded by plain nbgrader;
- a notebook's nbval cells (they share one kernel) form `CHAPTER nbval`, with the test that
  reuses that execution (tests/plugins/executions.py), after the cells;
- any other test belongs to its module, as with `--dist loadfile`.
(xdist's own `xdist_group` marks do nothing under pytest 9: xdist 3.8 renames `item._nodeid`,
which pytest 9 no longer reads.)

Groups start longest first (tests/durations.json: seconds per group, as measured by
tests/plugins/timeline.py), so that the last to finish are short and both workers stay busy
to the end. A group missing from that file counts one second per test.
"""

import json
import pathlib
import re

import pytest

DURATIONS = pathlib.Path(__file__).resolve().parent.parent / "durations.json"
NOTEBOOK = re.compile(r"source/(?P<chapter>[^/]+)/[^/]+\.ipynb::")
CHAPTER_PARAM = re.compile(r"\[(?P<chapter>\d\d_[a-z0-9_]+)[-\]]")
# (module, test name prefix, group kind) of the tests grouped per chapter; first match wins.
BY_CHAPTER = [
    ("tests/test_release.py", "test_source_validates", "nbval"),
    ("tests/test_grading_roundtrip.py", "test_plain_nbgrader", "plain"),
    ("tests/test_grading_roundtrip.py", "", "roundtrip"),
]


def group_of(nodeid: str) -> str:
    """The group of the test with this id."""
    notebook = NOTEBOOK.match(nodeid)
    if notebook:
        return f"{notebook['chapter']} nbval"
    module, _, name = nodeid.partition("::")
    chapter = CHAPTER_PARAM.search(name)
    for where, prefix, kind in BY_CHAPTER:
        if chapter and module == where and name.startswith(prefix):
            return f"{chapter['chapter']} {kind}"
    return module


def measured() -> dict[str, float]:
    try:
        return json.loads(DURATIONS.read_text())
    except (OSError, ValueError):
        return {}


def pytest_collection_modifyitems(config, items):
    """Longest group first; inside a group, nbval cells before the tests that reuse them."""
    groups = {}
    for item in items:
        groups.setdefault(group_of(item.nodeid), []).append(item)
    seconds = measured()
    cost = {name: seconds.get(name, float(len(members))) for name, members in groups.items()}
    first = {name: i for i, name in enumerate(groups)}
    order = sorted(groups, key=lambda name: (-cost[name], first[name]))
    items[:] = [item for name in order
                for item in sorted(groups[name], key=lambda it: not NOTEBOOK.match(it.nodeid))]


class GroupScheduling:
    """Registered when xdist is: its scheduler, with a group as the unit of work."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(self, config, log):
        if config.getvalue("dist") != "loadgroup":
            return None
        from xdist.scheduler import LoadScopeScheduling

        class Groups(LoadScopeScheduling):
            def _split_scope(self, nodeid):
                return group_of(nodeid)

        return Groups(config, log)


def pytest_configure(config):
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(GroupScheduling(), "course-groups")
