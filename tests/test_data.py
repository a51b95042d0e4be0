"""Does the data registry load each data set offline, and say what to install when it cannot?"""

import dataclasses
import subprocess
import sys

import pytest

from course import data


def test_penguins_is_the_raw_table():
    df = data.penguins()
    assert df.shape == (344, 8)
    assert list(df.columns) == [
        "species", "island", "bill_length_mm", "bill_depth_mm",
        "flipper_length_mm", "body_mass_g", "sex", "year",
    ]
    missing = df.isna().sum()
    assert missing[missing > 0].to_dict() == {
        "bill_length_mm": 2, "bill_depth_mm": 2, "flipper_length_mm": 2, "body_mass_g": 2,
        "sex": 11,
    }
    assert sorted(df["species"].unique()) == ["Adelie", "Chinstrap", "Gentoo"]


def test_penguins_matches_the_package_loader():
    from palmerpenguins import load_penguins

    df, reference = data.penguins(), load_penguins()
    assert df.equals(reference), "course.data.penguins() differs from palmerpenguins.load_penguins()"


def test_a_missing_package_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "palmerpenguins", None)  # `import palmerpenguins` now fails
    expected = r"not installed\. Install it with:\n    pip install palmerpenguins"
    with pytest.raises(data.MissingDataError, match=expected):
        data.penguins()


def test_a_different_file_is_refused(monkeypatch):
    wrong = dataclasses.replace(data.SOURCES["penguins"], sha256="0" * 64)
    monkeypatch.setitem(data.SOURCES, "penguins", wrong)
    with pytest.raises(data.MissingDataError, match="SHA-256"):
        data.penguins()


def test_a_missing_os_file_names_the_install_command(monkeypatch, tmp_path):
    absent = data.Source(
        name="Example", package=None, resource=str(tmp_path / "absent.gz"), sha256="0" * 64,
        install="apt-get install example-data", licence="-", citation="-", chapter="-",
    )
    monkeypatch.setitem(data.SOURCES, "example", absent)
    with pytest.raises(data.MissingDataError, match="apt-get install example-data"):
        data.path("example")


def test_every_source_records_its_origin():
    for key, source in data.SOURCES.items():
        assert len(source.sha256) == 64, key
        assert source.install and source.licence and source.citation and source.chapter, key


def test_importing_reads_nothing_and_loads_no_data_package():
    code = (
        "import sys, course.data; "
        "print(sorted(m for m in ('pandas', 'palmerpenguins', 'sklearn', 'torchvision', 'wordfreq') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_fashion_mnist_is_torchvisions_class_offline(tmp_path, monkeypatch):
    from torchvision import datasets

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    test = data.fashion_mnist(train=False)
    assert isinstance(test, datasets.FashionMNIST) and len(test) == 10_000
    image, label = test[0]
    assert image.size == (28, 28) and label == 9  # the first test image is an ankle boot
    assert len(data.fashion_mnist(train=True)) == 60_000


def test_fashion_mnist_without_files_or_network_says_what_to_install(tmp_path, monkeypatch):
    from torchvision import datasets

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    for key in [k for k in data.SOURCES if k.startswith("fashion_mnist/")]:
        gone = dataclasses.replace(data.SOURCES[key], resource=str(tmp_path / "absent.gz"))
        monkeypatch.setitem(data.SOURCES, key, gone)

    def no_network(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(datasets, "FashionMNIST", no_network)
    with pytest.raises(data.MissingDataError, match="apt-get install dataset-fashion-mnist"):
        data.fashion_mnist()


def test_mnist_matches_its_csv(tmp_path, monkeypatch):
    import numpy as np
    from torchvision import datasets

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    test = data.mnist(train=False)
    assert isinstance(test, datasets.MNIST) and len(test) == 10_000
    first = np.loadtxt(data.path("mnist/test"), delimiter=",", dtype=np.uint8, skiprows=1, max_rows=1)
    image, label = test[0]
    assert label == first[0] == 7
    assert (np.asarray(image) == first[1:].reshape(28, 28)).all()
    assert len(data.mnist(train=True)) == 60_000


def test_breast_cancer_table():
    df = data.breast_cancer()
    assert df.shape == (569, 31) and set(df["target"].unique()) == {0, 1}
    assert (df["target"] == 0).sum() == 212  # malignant


def test_words_are_the_most_frequent_first():
    french = data.words("fr", 50)
    assert len(french) == 50 and french[0] == "de"
    assert data.words("de", 5)[:3] == ["die", "der", "und"]
    with pytest.raises(KeyError):
        data.words("xx")
