"""The instructor's report on one graded assignment: which exercise confused the class?

``write_report`` reads nbgrader's gradebook through nbgrader's own API and writes three files:

* ``report.png``: histogram of total scores, and the pass rate of every exercise;
* ``report.md``: the summary and the figure, the exercise table, the exercises by pass rate
  (lowest first), and the flagged submissions;
* ``exercises.csv``: the exercise table, for a spreadsheet.

An *exercise* is one nbgrader grade cell; it is *passed* by a submission that got full points
on it. A grade with no score at all (not autograded yet, or waiting for a manual grade) counts
as 0 points and not passed, and the report says how many submissions are in that state.

Command line, from the course root: ``python -m autograder report 01_tensors`` (or its alias
``python -m autograder.report 01_tensors``); see :func:`report_course`.
"""

import pathlib
import statistics
import sys
from collections import defaultdict

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from nbgrader.api import Gradebook, GradeCell, MissingEntry
from sqlalchemy.engine import make_url

COLUMNS = ["notebook", "grade_id", "points", "pass_rate_pct", "mean_points", "ungraded"]


def read_gradebook(assignment: str, db_url: str) -> dict:
    """Plain-Python summary of one assignment, read while the gradebook is open.

    Returns {"max_score", "exercises": DataFrame[COLUMNS] in notebook order,
    "totals": {student: total score}, "pending": students with an ungraded cell}.
    """
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        # Gradebook() would silently create an empty database at a mistyped path.
        if not pathlib.Path(url.database).is_file():
            raise FileNotFoundError(f"no gradebook at {url.database}")
    # course_id="" keeps Gradebook() from adding a "default_course" row: reading writes nothing.
    with Gradebook(db_url, course_id="") as gb:
        found = gb.find_assignment(assignment)
        # Notebooks come sorted by name; nbgrader stores a notebook's cells top to bottom.
        cells = [(nb.name, cell.name, cell.max_score)
                 for nb in found.notebooks for cell in nb.grade_cells]
        scores = defaultdict(list)  # (notebook, grade_id) -> [(score, passed, graded)]
        totals, pending = {}, set()
        for submission in found.submissions:
            student = submission.student.id
            totals[student] = submission.score
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    graded = grade.auto_score is not None or grade.manual_score is not None
                    if not graded or grade.needs_manual_grade:
                        pending.add(student)
                    if isinstance(grade.cell, GradeCell):
                        passed = graded and grade.score >= grade.cell.max_score
                        scores[(notebook.notebook.name, grade.cell.name)].append(
                            (grade.score, passed, graded))  # score is 0.0 when ungraded
        max_score = found.max_score

    rows = []
    for notebook, grade_id, points in cells:
        got = scores[(notebook, grade_id)]
        n = len(got)
        rows.append({
            "notebook": notebook,
            "grade_id": grade_id,
            "points": points,
            "pass_rate_pct": 100 * sum(p for _, p, _ in got) / n if n else float("nan"),
            "mean_points": sum(s for s, _, _ in got) / n if n else float("nan"),
            "ungraded": sum(not g for _, _, g in got),
        })
    exercises = pd.DataFrame(rows, columns=COLUMNS)
    exercises = exercises.round({"pass_rate_pct": 1, "mean_points": 2})
    return {"max_score": max_score, "exercises": exercises, "totals": totals,
            "pending": sorted(pending)}


def _label(exercises: pd.DataFrame) -> list[str]:
    """Bar and list labels: the grade_id, prefixed by its notebook when there are several."""
    if exercises["notebook"].nunique() > 1:
        return [f"{nb}/{gid}"
                for nb, gid in zip(exercises["notebook"], exercises["grade_id"], strict=True)]
    return list(exercises["grade_id"])


def _num(x: float) -> str:
    """A score as people write it: 2, 1.5, 0.33."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def plot(assignment: str, data: dict, path: pathlib.Path) -> None:
    """Write the two-panel figure: total-score histogram and per-exercise pass rates."""
    exercises, totals, top = data["exercises"], list(data["totals"].values()), data["max_score"]
    fig = Figure(figsize=(11, max(4.0, 1.5 + 0.35 * len(exercises))), layout="constrained")
    FigureCanvasAgg(fig)  # render off-screen: no display, no pyplot global state
    hist, bars = fig.subplots(1, 2)
    n = len(totals)
    fig.suptitle(f"{assignment}: {n} submission{'s' if n != 1 else ''}")

    hist.set(title="Total score", xlabel=f"score (out of {_num(top)})", ylabel="submissions")
    upper = max([top, *totals, 1.0])
    # Up to 20 points: one bar per whole score, centred on it (9/9 and 8/9 stay apart).
    whole = upper <= 20 and float(upper).is_integer()
    edges = [x - 0.5 for x in range(int(upper) + 2)] if whole else 20
    hist.set_xlim(-0.5 if whole else 0, upper + 0.5 if whole else upper)
    if totals:
        hist.hist(totals, bins=edges, range=None if whole else (0, upper), edgecolor="white")
        hist.axvline(statistics.mean(totals), color="black", linestyle="--", label="mean")
        hist.legend()
        hist.yaxis.set_major_locator(MaxNLocator(integer=True))

    labels = _label(exercises)
    rates = exercises["pass_rate_pct"].fillna(0).tolist()
    ys = range(len(labels))
    bars.barh(ys, rates, color="tab:green")
    bars.set_yticks(ys, labels)
    bars.invert_yaxis()  # first exercise of the notebook at the top
    bars.set(title="Pass rate (full points)", xlabel="% of submissions", xlim=(0, 100))
    if totals:
        for y, rate in zip(ys, rates, strict=True):
            bars.text(min(rate + 1, 88), y, f"{rate:.0f}%", va="center")
    else:
        for ax in (hist, bars):
            ax.text(0.5, 0.5, "no submissions", ha="center", va="center", transform=ax.transAxes)
    fig.savefig(path, dpi=100)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Markdown table lines; `|` and newlines in cells would break the table."""
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def markdown(assignment: str, data: dict, flags: dict[str, list[str]] | None) -> str:
    """The report page (see module docstring)."""
    exercises, totals, top = data["exercises"], list(data["totals"].values()), data["max_score"]
    lines = [f"# {assignment}: grading report", ""]
    if not totals:
        lines += ["**No submissions** in the gradebook for this assignment yet.", ""]
    else:
        lines += [f"**Submissions:** {len(totals)}", ""]
        if data["pending"]:
            lines += [f"**Not fully graded:** {len(data['pending'])} submission(s) have a cell "
                      "without a score or waiting for manual grading "
                      f"({', '.join(data['pending'])}); such a cell counts as 0 points "
                      "and not passed.", ""]
        stats = [("mean", statistics.mean(totals)), ("median", statistics.median(totals)),
                 ("min", min(totals)), ("max", max(totals))]
        lines += _table(["", f"score (out of {_num(top)})"],
                        [[name, _num(value)] for name, value in stats])
        lines.append("")

    lines += ["![](report.png)", ""]

    labels = _label(exercises)
    lines += ["## Exercises", ""]
    rows = []
    for label, ex in zip(labels, exercises.itertuples(), strict=True):
        seen = pd.notna(ex.pass_rate_pct)
        rows.append([ex.notebook, f"`{label}`", _num(ex.points),
                     f"{ex.pass_rate_pct:.1f}%" if seen else "-",
                     _num(ex.mean_points) if seen else "-", str(ex.ungraded)])
    lines += _table(["notebook", "exercise", "points", "pass rate", "mean points", "ungraded"], rows)
    lines.append("")

    if totals and len(exercises):
        lines += ["## What confused the class (lowest pass rate first)", ""]
        order = exercises.assign(label=labels).sort_values("pass_rate_pct", kind="stable")
        lines += [f"{i}. `{ex.label}`: {ex.pass_rate_pct:.1f}% passed, "
                  f"mean {_num(ex.mean_points)} / {_num(ex.points)}"
                  for i, ex in enumerate(order.itertuples(), start=1)]
        lines.append("")

    if flags is not None:
        flagged = {s: reasons for s, reasons in sorted(flags.items()) if reasons}
        lines += ["## Flagged submissions", ""]
        if flagged:
            lines += _table(["student", "reasons"],
                            [[s, "; ".join(reasons)] for s, reasons in flagged.items()])
        else:
            lines.append("No submission was flagged.")
        lines.append("")

    return "\n".join(lines)


def write_report(assignment: str, db_url: str, out_dir: pathlib.Path,
                 flags: dict[str, list[str]] | None = None) -> dict[str, pathlib.Path]:
    """Write report.png, report.md and exercises.csv for `assignment` into `out_dir`.

    `flags` maps a student to the reasons their submission needs a look (a student with an
    empty list is left out). Raises nbgrader's MissingEntry for an unknown assignment and
    FileNotFoundError for a missing SQLite gradebook.
    """
    data = read_gradebook(assignment, db_url)
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"png": out_dir / "report.png", "md": out_dir / "report.md",
             "csv": out_dir / "exercises.csv"}
    plot(assignment, data, paths["png"])
    paths["md"].write_text(markdown(assignment, data, flags), encoding="utf-8")
    data["exercises"].to_csv(paths["csv"], index=False)
    return paths


def report_course(assignment: str, root=".", db_url: str | None = None,
                  out: pathlib.Path | None = None) -> dict[str, pathlib.Path]:
    """``python -m autograder report``: the report of one assignment of the course at ``root``.

    The gradebook is found as ``python -m autograder grade`` finds it: the course's
    ``nbgrader_config.py`` (its ``CourseDirectory.db_url``, else ``<root>/gradebook.db``),
    unless ``db_url`` is given. The flags come back from the autograded notebooks, where the
    grader keeps them, so the report lists the same flagged submissions as the grading run's.
    ``out`` defaults to ``<root>/reports/ASSIGNMENT/``; ``summary.json`` there, written by a
    grading run, is left as it is (only that run knows the failures and times).
    """
    from nbgrader.coursedir import CourseDirectory

    from autograder.batch import load_config
    from autograder.record import kept_flags

    root = pathlib.Path(root).resolve()
    coursedir = CourseDirectory(config=load_config(root, db_url))
    graded = root / coursedir.autograded_directory
    flags = {folder.parent.name: kept_flags(folder)
             for folder in sorted(graded.glob(f"*/{assignment}")) if folder.is_dir()}
    try:
        return write_report(assignment, coursedir.db_url,
                            out or root / "reports" / assignment, flags)
    except (MissingEntry, FileNotFoundError) as e:
        raise SystemExit(f"error: {e}") from None


def main(argv: list[str] | None = None) -> int:
    """``python -m autograder.report ...``: the same as ``python -m autograder report ...``."""
    from autograder.__main__ import main as cli

    return cli(["report", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
