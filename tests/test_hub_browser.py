"""Does a class go round on the course hub, in a real browser?

The hub of tests/test_hub.py (tools/hub.py: Linux users, exchange, gradebook, grading
service), driven with Debian's Chromium through Playwright as in tests/test_browser.py: two
students log in and fetch chapter 01 from the Assignments tab; one solves two exercises (the
instructor solution's code in their answer cells, saved through her own server); both submit
from the Assignments tab, Alice while the grading service runs, Bob while it is stopped; it
grades Alice's at once and Bob's when it is started again; each fetches the feedback and sees
their own score and none of the hidden tests; the instructor's formgrader lists both
submissions with their scores, and `nbgrader export` has both rows. Screenshots go to
test-artifacts/hub-browser/; the seconds from Alice's Submit click to her graded feedback in
the exchange go to its timings.json.
"""

import csv
import json
import re
import time

import nbformat
import pytest
from chromium import launched
from coursedir import REPO, SOURCE, answer_cells, replace_answers
from test_hub import INSTRUCTOR_PASSWORD, STUDENT_PASSWORD, started_hub

from tools import hub as course_hub

ARTIFACTS = REPO / "test-artifacts" / "hub-browser"
CHAPTER = "01_tensors"
SOLVED = ["describe", "sample_normal"]  # 1 point each, of 10
GRADING_SECONDS = 300



def _source_notebook():
    return nbformat.read(SOURCE / CHAPTER / f"{CHAPTER}.ipynb", as_version=4)


def _solutions() -> dict[str, str]:
    """The instructor's code of the exercises in SOLVED, solution markers dropped."""
    cells = {c.metadata.nbgrader.grade_id: c.source for c in answer_cells(_source_notebook())}
    return {gid: "\n".join(line for line in cells[gid].splitlines()
                           if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
            for gid in SOLVED}


def _hidden_lines() -> list[str]:
    """Every line of the chapter's hidden tests that says something (no blank, no marker)."""
    lines, hidden = [], False
    for cell in _source_notebook().cells:
        for line in cell.source.splitlines():
            if "### BEGIN HIDDEN TESTS" in line:
                hidden = True
            elif "### END HIDDEN TESTS" in line:
                hidden = False
            elif hidden and len(line.strip()) > 12:
                lines.append(line.strip())
    assert lines, "chapter 01 has no hidden tests to look for"
    return lines


@pytest.fixture(scope="module")
def hub():
    if not course_hub.grading_service_available():
        pytest.fail("this checkout has no grading service (python -m autograder serve)")
    with started_hub("hubweb", ARTIFACTS) as run:
        yield run


@pytest.fixture(scope="module")
def browser():
    with launched(ARTIFACTS) as b:
        yield b


def _log_in(browser, hub, user: str, password: str):
    """A fresh browser context logged in as ``user``, on their JupyterLab (or formgrader)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{hub.hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{user}/(lab|formgrader)"), timeout=120_000)
    return page


def _assignments_tab(page, user: str):
    page.locator(".jp-LabShell").wait_for()
    page.get_by_role("menuitem", name="Nbgrader").click()
    page.get_by_role("menuitem", name="Assignment List").click()
    page.locator("#released_assignments_list").wait_for()


def _row(page, section: str, text: str):
    return page.locator(f"#{section} .list_item", has_text=text).first


def _xsrf(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "_xsrf")


def _solve(page, hub, user: str) -> None:
    """Put the instructor's code into the SOLVED answer cells, saved by the user's server."""
    url = f"{hub.hub.url}/user/{user}/api/contents/{CHAPTER}/{CHAPTER}.ipynb"
    got = page.request.get(url)
    assert got.ok, got.text()
    nb = replace_answers(nbformat.from_dict(got.json()["content"]), _solutions())
    put = page.request.put(url, headers={"X-XSRFToken": _xsrf(page), "Content-Type": "application/json"},
                           data=json.dumps({"type": "notebook", "format": "json", "content": nb}))
    assert put.ok, put.text()


def _jobs(hub) -> list:
    """The grading service's jobs of the chapter (its queue table, in the gradebook)."""
    from autograder import queue

    engine = queue.connect(hub.db_url, course_hub.COURSE_ID)
    try:
        return queue.jobs(engine, CHAPTER)
    finally:
        engine.dispose()


def _wait_for_grades(hub, students) -> dict:
    """Until the grading service has graded every student's submission: {student: job}."""
    from autograder import queue

    deadline = time.monotonic() + GRADING_SECONDS
    while time.monotonic() < deadline:
        jobs = _jobs(hub)
        failed = [j for j in jobs if j.state == queue.FAILED]
        assert not failed, failed
        done = {j.student: j for j in jobs if j.state == queue.DONE}
        if set(students) <= set(done):
            return done
        time.sleep(1)
    log = (hub.hub.logs / "grading.log").read_text(errors="replace")[-3000:]
    raise AssertionError(f"not graded within {GRADING_SECONDS} s:\n{log}")


def test_a_class_round_on_the_hub(hub, browser):
    alice, bob = hub.hub.students[:2]
    pages = {user: _log_in(browser, hub, user, STUDENT_PASSWORD) for user in (alice, bob)}
    try:
        for user, page in pages.items():
            _assignments_tab(page, user)
            _row(page, "released_assignments_list", CHAPTER).get_by_role("button", name="Fetch").click()
            _row(page, "fetched_assignments_list", CHAPTER).get_by_role("button", name="Submit").wait_for()
            page.screenshot(path=ARTIFACTS / f"01_{user}_fetched.png")
            if hub.hub.real_users:
                assert (hub.hub.home(user) / CHAPTER / f"{CHAPTER}.ipynb").owner() == user

        _solve(pages[alice], hub, alice)
        submit = {}
        for user, page in pages.items():
            if user == bob:  # the service is down when Bob submits
                _wait_for_grades(hub, [alice])
                waited = time.monotonic() - submit[alice]
                hub.stop_grading()
            submit[user] = time.monotonic()
            _row(page, "fetched_assignments_list", CHAPTER).get_by_role("button", name="Submit").click()
            _row(page, "submitted_assignments_list", CHAPTER).wait_for()
            page.screenshot(path=ARTIFACTS / f"02_{user}_submitted.png")
        (ARTIFACTS / "timings.json").write_text(json.dumps(
            {"submit click to graded (alice), s": round(waited, 1)}) + "\n")
        time.sleep(3)  # what a running service would need to notice it: nothing happens
        assert bob not in {j.student for j in _jobs(hub)}, "a stopped service queued it?"
        hub.start_grading()

        jobs = _wait_for_grades(hub, [alice, bob])
        assert (jobs[alice].score, jobs[alice].max_score) == (2, 10), jobs[alice]
        assert jobs[bob].score == 0, jobs[bob]

        hidden = _hidden_lines()
        for user, page in pages.items():
            page.click("#refresh_assignments_list")
            fetch = _row(page, "submitted_assignments_list", CHAPTER).get_by_role(
                "button", name="Fetch Feedback")
            fetch.click()
            page.get_by_text("(view feedback)").first.wait_for()
            page.screenshot(path=ARTIFACTS / f"03_{user}_feedback_fetched.png")
            html = sorted((hub.hub.home(user) / CHAPTER / "feedback").glob(f"*/{CHAPTER}.html"))
            assert html, f"no feedback in {user}'s home"
            relative = html[-1].relative_to(hub.hub.home(user))
            page.goto(f"{hub.hub.url}/user/{user}/files/{relative}")
            text = page.locator("body").inner_text()
            page.screenshot(path=ARTIFACTS / f"04_{user}_feedback.png")
            expected = jobs[user].score
            assert re.search(rf"Score: {expected:g}(\.0+)? / 10(\.0+)?", text), text[:1000]
            shown = [line for line in hidden if line in text]
            assert not shown, f"{user}'s feedback shows hidden tests: {shown[:3]}"

        teacher = _log_in(browser, hub, hub.hub.instructor, INSTRUCTOR_PASSWORD)
        teacher.goto(f"{hub.hub.url}/user/{hub.hub.instructor}/formgrader/manage_submissions/{CHAPTER}")
        for user in (alice, bob):
            teacher.get_by_text(user).first.wait_for()
        teacher.screenshot(path=ARTIFACTS / "05_formgrader_submissions.png", full_page=True)
        got = teacher.request.get(
            f"{hub.hub.url}/user/{hub.hub.instructor}/formgrader/api/submissions/{CHAPTER}")
        assert got.ok, got.text()
        scores = {s["student"]: s["score"] for s in got.json()}
        assert scores == {alice: 2, bob: 0}, scores
        teacher.context.close()

        out = hub.hub.course_root / "grades.csv"
        course_hub.run_as(hub.hub, hub.hub.instructor,
                          [str(course_hub.BIN / "nbgrader"), "export", "--to", str(out)],
                          cwd=hub.hub.course_root)
        with open(out, newline="") as handle:
            rows = {(r["assignment"], r["student_id"]): float(r["score"])
                    for r in csv.DictReader(handle)}
        assert rows[(CHAPTER, alice)] == 2 and rows[(CHAPTER, bob)] == 0, rows
    finally:
        for user, page in pages.items():
            page.screenshot(path=ARTIFACTS / f"last_{user}.png")
            page.context.close()
