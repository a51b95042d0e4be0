"""Do pyproject.toml, environment.yml and the Makefile agree on how to install the course?"""

import subprocess
import sys
import tomllib

import yaml
from coursedir import REPO


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = project["dependencies"] + extras["test"] + extras["hub"] + extras["cluster"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert sorted(d for d in pip if not d.startswith("-e")) == sorted(wanted)
    assert "-e .[test,hub,cluster]" in pip, "environment.yml should install the course package itself"


def test_up_to_date_venv_is_not_reinstalled():
    """`make -q venv` exits 0 when nothing would be installed: the README commands reuse the venv."""
    proc = subprocess.run(["make", "-q", ".venv/.installed"], cwd=REPO)
    assert proc.returncode == 0, "make would reinstall an up-to-date environment"


def test_importing_nbformat_builds_no_iri_parser():
    """Every nbgrader command imports nbformat; the Makefile removes the 2-second IRI parser."""
    proc = subprocess.run([sys.executable, "-c",
                           "import sys, nbgrader.apps; print('rfc3987_syntax' in sys.modules)"],
                          capture_output=True, text=True, timeout=120, check=True)
    assert proc.stdout.strip() == "False", proc.stdout + proc.stderr
