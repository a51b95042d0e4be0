"""Real data sets for the course, loaded offline through one registry.

Every data set a notebook uses is listed once in :data:`SOURCES` -- where its file comes
from, its licence, how to install it when it is missing, and the SHA-256 of the file -- and
has one loader function here that returns it in its usual form. Nothing is downloaded at
run time: the files come inside an installed package. Importing this module reads no file
and imports no data package; a loader does that when it is called.

Data sets (key: loader -- where the file comes from -- licence):

- ``penguins``: :func:`penguins` -- PyPI ``palmerpenguins``, file ``data/penguins.csv`` --
  data CC0 1.0, package MIT.

**penguins** (chapter 03): the Palmer penguins table, 344 penguins of three species measured
on three islands of the Palmer Archipelago, Antarctica, 2007-2009: 8 columns, missing values
in 5 of them. Data by Allison Horst, Alison Hill and Kristen Gorman (the ``palmerpenguins``
R package, CC0 1.0); collected by Kristen Gorman with the Palmer Station Long Term Ecological
Research program (Gorman, Williams & Fraser 2014, *PLoS ONE* 9(3): e90081). The Python
package that ships the file is MIT-licensed.

To add a data set: add a :class:`Source` to :data:`SOURCES` and a loader that calls
:func:`path` for its verified file (later chapters add Fashion-MNIST and MNIST this way).
"""

import hashlib
import importlib.resources
import pathlib
from dataclasses import dataclass


class MissingDataError(RuntimeError):
    """A data set's files are not on this machine; the message says what to install."""


@dataclass(frozen=True)
class Source:
    """Where one data set's file comes from, what it may contain, and how to get it."""

    name: str
    package: str | None  #: import name of the package that ships the file; None for an OS file
    resource: str  #: the file's path inside that package (an absolute path when package is None)
    sha256: str  #: checksum of the file, checked before it is read
    install: str  #: the command that installs it
    licence: str
    citation: str
    chapter: str  #: the chapter that introduces it


SOURCES: dict[str, Source] = {
    "penguins": Source(
        name="Palmer penguins",
        package="palmerpenguins",
        resource="data/penguins.csv",
        sha256="f204db2c753b0937caac3cb35258562c14f073e4bbc76be24b4c51ce22767a93",
        install="pip install palmerpenguins",
        licence="data CC0 1.0 (Horst, Hill & Gorman); Python package MIT",
        citation=(
            "Horst AM, Hill AP, Gorman KB (2020). palmerpenguins: Palmer Archipelago (Antarctica) "
            "penguin data. Original data: Gorman KB, Williams TD, Fraser WR (2014), PLoS ONE "
            "9(3): e90081, Palmer Station Antarctica LTER."
        ),
        chapter="03_data_linear_algebra",
    ),
}


def path(key: str) -> pathlib.Path:
    """The verified local file of data set ``key`` (a key of :data:`SOURCES`).

    Raises :class:`MissingDataError` naming the install command when the package is missing,
    and when the file's checksum is not the one recorded (a damaged or different file).
    """
    source = SOURCES[key]
    if source.package is None:
        file = pathlib.Path(source.resource)
    else:
        try:
            root = importlib.resources.files(source.package)
        except ModuleNotFoundError:
            raise MissingDataError(
                f"The {source.name} data come from the Python package {source.package!r}, "
                f"which is not installed. Install it with:\n    {source.install}"
            ) from None
        file = pathlib.Path(str(root.joinpath(source.resource)))
    if not file.is_file():
        raise MissingDataError(
            f"The {source.name} data file {file} is missing. Install it with:\n"
            f"    {source.install}"
        )
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    if digest != source.sha256:
        raise MissingDataError(
            f"{file} is not the {source.name} file this course expects "
            f"(SHA-256 {digest}, expected {source.sha256}). Remove it and install it again:\n"
            f"    {source.install}"
        )
    return file


def penguins():
    """The Palmer penguins table as a pandas ``DataFrame``, exactly as shipped: 344 x 8.

    Columns ``species``, ``island``, ``bill_length_mm``, ``bill_depth_mm``,
    ``flipper_length_mm``, ``body_mass_g``, ``sex``, ``year``; the same table as
    ``palmerpenguins.load_penguins()``, missing values (NaN) included. Introduced in
    chapter 03. Data CC0 1.0, see the module docstring for the source.
    """
    import pandas as pd

    return pd.read_csv(path("penguins"))
