"""When each test ran, on which worker: how busy the workers were, how long each group took.

At the end of a run (the controller, with or without xdist) this writes
- `test-artifacts/timeline.json`: one row per test phase (worker, test, phase, start, stop);
- `test-artifacts/durations.json`: seconds per xdist group (tests/plugins/groups.py), the
  file to copy over tests/durations.json when the suite's shape changes;
and prints the wall time, each worker's busy share and the share of the wall during which
every worker was busy. Nothing here asserts a time.
"""

import json
import pathlib

from tests.plugins.groups import group_of

ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent.parent / "test-artifacts"


def _worker(report) -> str:
    node = getattr(report, "node", None)
    return node.gateway.id if node is not None else "main"


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    for start, stop in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], stop))
        else:
            out.append((start, stop))
    return out


def _length(spans) -> float:
    return sum(stop - start for start, stop in spans)


def _intersection(a, b) -> list[tuple[float, float]]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, stop = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < stop:
            out.append((start, stop))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def summarize(rows: list[dict]) -> dict:
    """Wall time, busy seconds per worker, seconds when all were busy, seconds per group."""
    if not rows:
        return {"wall": 0.0, "busy": {}, "all_busy": 0.0, "groups": {}}
    wall = max(r["stop"] for r in rows) - min(r["start"] for r in rows)
    per_worker = {}
    for r in rows:
        per_worker.setdefault(r["worker"], []).append((r["start"], r["stop"]))
    spans = {w: _merged(s) for w, s in per_worker.items()}
    every = None
    for s in spans.values():
        every = s if every is None else _intersection(every, s)
    groups = {}
    for r in rows:
        groups[r["group"]] = groups.get(r["group"], 0.0) + r["stop"] - r["start"]
    return {"wall": wall, "busy": {w: _length(s) for w, s in sorted(spans.items())},
            "all_busy": _length(every), "groups": dict(sorted(groups.items()))}


class Timeline:
    def __init__(self):
        self.rows = []

    def pytest_runtest_logreport(self, report):
        if report.stop > report.start:
            self.rows.append({"worker": _worker(report), "test": report.nodeid,
                              "group": group_of(report.nodeid), "phase": report.when,
                              "start": report.start, "stop": report.stop})

    def pytest_terminal_summary(self, terminalreporter):
        s = summarize(self.rows)
        if not s["busy"]:
            return
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "timeline.json").write_text(json.dumps(self.rows, indent=0) + "\n")
        (ARTIFACTS / "durations.json").write_text(json.dumps(
            {g: round(t, 1) for g, t in s["groups"].items()}, indent=1) + "\n")
        wall = s["wall"]
        busy = ", ".join(f"{w} busy {t:.0f} s ({t / wall:.0%})" for w, t in s["busy"].items())
        terminalreporter.write_sep("-", "timeline (test-artifacts/timeline.json)")
        terminalreporter.write_line(f"wall {wall:.0f} s from the first test to the last; {busy}")
        terminalreporter.write_line(
            f"all {len(s['busy'])} workers busy {s['all_busy']:.0f} s ({s['all_busy'] / wall:.0%}"
            " of the wall)")
        slowest = sorted(s["groups"].items(), key=lambda kv: -kv[1])[:8]
        terminalreporter.write_line("slowest groups: " + ", ".join(
            f"{g} {t:.0f} s" for g, t in slowest))


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        config.pluginmanager.register(Timeline(), "course-timeline")
