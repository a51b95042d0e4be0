"""Write what a student receives, and nothing else, into a folder (and a zip beside it).

    python tools/student_bundle.py DIR       # called by `make student-bundle BUNDLE_DIR=DIR`

DIR/pytorch-course/ holds the release notebooks (release/), the `course` package the
notebooks import, a pyproject.toml and environment.yml with the student dependencies only,
and a README; DIR/pytorch-course.zip is the same folder zipped. No source/, no tests, no
autograder: tests/test_student_bundle.py searches the bundle for every solution and
hidden-test line of source/.
"""

import pathlib
import shutil
import sys
import tomllib

REPO = pathlib.Path(__file__).resolve().parent.parent
NAME = "pytorch-course"
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")

README = """# Hands-on PyTorch: from tensors to RNNs (student notebooks)

Set up once (Python 3.11), then start JupyterLab:

    python3 -m venv .venv
    .venv/bin/pip install -e .
    .venv/bin/jupyter lab

(Conda: `conda env create -f environment.yml`, `conda activate pytorch-course`, `jupyter lab`.)

Start with README.md in JupyterLab: it lists the chapters. In each notebook run the setup
cell first, solve the exercises, run their test cells, and press **Validate** before you
hand the notebook in.
"""


def _pyproject(dependencies: list[str]) -> str:
    deps = "".join(f'    "{d}",\n' for d in dependencies)
    return (
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "course"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
        f"dependencies = [\n{deps}]\n\n"
        '[tool.setuptools]\npackages = ["course"]\n'
    )


def _environment(dependencies: list[str]) -> str:
    pip = "".join(f"      - {d}\n" for d in dependencies)
    return (
        f"name: {NAME}\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n"
        f"  - pip:\n{pip}      - -e .\n"
    )


def build(out_dir: pathlib.Path) -> pathlib.Path:
    """Write the bundle into out_dir; return the bundle folder."""
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    bundle = out_dir / NAME
    if bundle.exists():
        shutil.rmtree(bundle)
    shutil.copytree(REPO / "release", bundle, ignore=IGNORE)
    shutil.copytree(REPO / "course", bundle / "course", ignore=IGNORE)
    (bundle / "pyproject.toml").write_text(_pyproject(dependencies))
    (bundle / "environment.yml").write_text(_environment(dependencies))
    (bundle / "STUDENT_SETUP.md").write_text(README)
    shutil.make_archive(str(out_dir / NAME), "zip", out_dir, NAME)
    return bundle


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/student_bundle.py DIR")
    target = pathlib.Path(sys.argv[1]).resolve()
    target.mkdir(parents=True, exist_ok=True)
    print(build(target))
