"""Write release/README.md: the table of contents students see first in JupyterLab.

    python tools/release_index.py            # called by `make release`

Each row comes from a chapter's title cell in source/: the title (`# NN · Title`), the
`**Time:**` and `**Prerequisites:**` lines. The file is generated, like the rest of release/.
"""

import pathlib
import re
import sys

import nbformat

REPO = pathlib.Path(__file__).resolve().parent.parent


def _field(text: str, name: str) -> str:
    match = re.search(rf"\*\*{name}:\*\*\s*(.+?)(?=\n\s*\n|\*\*|$)", text, re.DOTALL)
    return " ".join(match.group(1).split()).rstrip(".") if match else ""


def index(source: pathlib.Path = REPO / "source") -> str:
    """The Markdown table of contents for every notebook under `source`."""
    rows = []
    for path in sorted(source.glob("*/*.ipynb")):
        intro = nbformat.read(path, as_version=4).cells[0].source
        title = intro.splitlines()[0].lstrip("# ").strip()
        link = f"{path.parent.name}/{path.name}"
        rows.append(f"| [{title}]({link}) | {_field(intro, 'Time')} | {_field(intro, 'Prerequisites')} |")
    return "\n".join([
        "# Hands-on PyTorch: from tensors to RNNs",
        "",
        "Open a chapter, run its first cell (the setup), and work from the top. Each exercise",
        "has a test cell: run it to check your answer. Before you hand a notebook in, press",
        "**Validate** in its toolbar: it runs the notebook from a fresh start, as the grader will.",
        "",
        "| chapter | time | prerequisites |",
        "|---|---|---|",
        *rows,
        "",
    ])


if __name__ == "__main__":
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "release" / "README.md"
    out.write_text(index(), encoding="utf-8")
    print(out)
