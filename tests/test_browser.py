"""Does the course work in a real browser, the way a student and an instructor use it?

Drives Debian's Chromium with Playwright (no browser download): JupyterLab from `make lab`,
chapter 01 run from the top, one exercise solved and its visible test passing, nbgrader's
Validate button; and the formgrader from `make instructor-lab`. Screenshots go to test-artifacts/browser/.
"""


import pytest
from chromium import launched
from coursedir import REPO

ARTIFACTS = REPO / "test-artifacts" / "browser"
SOLVED_DESCRIBE = '''def describe(t):
    """Return {'shape': tuple, 'ndim': int, 'numel': int, 'dtype': torch.dtype} for tensor t."""
    return {"shape": tuple(t.shape), "ndim": t.dim(), "numel": t.numel(), "dtype": t.dtype}
'''



@pytest.fixture(scope="module")
def browser():
    with launched(ARTIFACTS) as b:
        yield b


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    page.screenshot(path=ARTIFACTS / f"last_{request.node.name}.png")  # the state at the end, pass or fail
    context.close()


def _cell(page, text):
    """The notebook cell whose source contains `text`."""
    return page.locator(".jp-Cell", has_text=text).first


def test_student_runs_solves_and_validates_chapter_01(lab, page):
    base, _, _ = lab
    # JupyterLab opens on the course's table of contents; follow its link to chapter 01.
    page.goto(f"{base}/")  # what `make lab` opens in the student's browser
    contents = page.locator(".jp-RenderedMarkdown", has_text="Open a chapter")
    contents.wait_for()
    page.screenshot(path=ARTIFACTS / "00_table_of_contents.png")
    contents.get_by_role("link", name="01 · Tensors").click()
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    # The kernel has started and connected: the status bar reads "Python 3 (ipykernel) | Idle".
    page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first.wait_for(state="attached")

    # Run all cells from the menu, as a student would.
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    setup = _cell(page, "course.setup(seed_value=0)")
    setup.locator(".jp-OutputArea-output", has_text="torch").wait_for(state="attached")
    tests = _cell(page, "describe() reports shape, ndim, numel and dtype.")
    tests.locator(".jp-OutputArea-output", has_text="NotImplementedError").wait_for(state="attached")
    # Run All went on past the failing test: the last exercise's test ran too.
    last = _cell(page, "add_into() changes the caller's tensor in place.")
    last.locator(".jp-OutputArea-output", has_text="NotImplementedError").wait_for(state="attached")
    tests.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "01_run_all_untouched.png")

    # Solve exercise 1: replace the answer cell's code, run it and its test cell.
    answer = _cell(page, "def describe(t):")
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(SOLVED_DESCRIBE)
    page.keyboard.press("Shift+Enter")
    tests.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        "el => !el.textContent.includes('NotImplementedError')",
        arg=tests.element_handle(), timeout=30_000,
    )
    assert "Error" not in tests.locator(".jp-Cell-outputWrapper").text_content()
    tests.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "02_exercise_passes.png")

    # nbgrader's Validate button: the other exercises are still unsolved, so it reports failures.
    page.get_by_role("button", name="Validate").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=120_000)
    verdict = dialog.inner_text()
    page.screenshot(path=ARTIFACTS / "03_validate_verdict.png")
    assert "Validation" in verdict and "NotImplementedError" in verdict, verdict[:1000]
    assert "describe() reports shape" not in verdict, "the solved exercise should pass validation"


def test_instructor_sees_the_assignments_in_formgrader(instructor_lab, page):
    base, _, _ = instructor_lab
    page.goto(f"{base}/formgrader")
    page.get_by_text("Manage Assignments").first.wait_for(state="attached")
    page.get_by_text("01_tensors").first.wait_for(state="attached")
    page.screenshot(path=ARTIFACTS / "04_formgrader.png")
