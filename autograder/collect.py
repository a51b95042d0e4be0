"""Submissions in nbgrader's exchange, and one of them collected into ``submitted/``.

``nbgrader submit`` writes each submission to
``{Exchange.root}/{course_id}/inbound/{student}+{assignment}+{timestamp}+{random}/``: the
student's files, then ``timestamp.txt``, then ``submission_secret.txt`` (the key that names
its feedback). ``nbgrader collect`` copies the newest submission of every student; the
grading service collects exactly the one it is about to grade, with nbgrader's own parsing of
the folder name and its own copy (``CourseDirectory.ignore``, ``include``, ``max_file_size``,
``max_dir_size``), into ``submitted/<student>/<assignment>/``, replacing what was there.

The folder's name is the student's to choose (``nbgrader submit --student bob``, or a folder
made by hand in the world-writable inbound): where nbgrader's ``check_owner`` is on (its
default; ``c.ExchangeCollect.check_owner``), a submission whose folder is not owned by the
Linux user of the student it names is refused, not graded. ``nbgrader collect`` only warns;
a service that graded it would overwrite the other student's grade. A course where every
student is the same Linux user (one machine, a demo hub) turns ``check_owner`` off.
"""

import dataclasses
import os
import pathlib
import pwd
import shutil
import time

from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default.collect import ExchangeCollect
from traitlets.config import Config

#: A folder without its secret this long after it appeared is taken as complete (an older
#: nbgrader writes none); before that it may still be being written.
INCOMPLETE_SECONDS = 300


@dataclasses.dataclass
class Inbound:
    """One submission in the exchange's inbound folder."""

    folder: pathlib.Path
    student: str
    assignment: str
    timestamp: str  # as in the folder name and timestamp.txt


def _collector(config: Config) -> ExchangeCollect:
    return ExchangeCollect(coursedir=CourseDirectory(config=config), config=config)


def inbound_dir(config: Config) -> pathlib.Path:
    """``{Exchange.root}/{course_id}/inbound`` for the course's configuration."""
    collector = _collector(config)
    return pathlib.Path(collector.root) / collector.coursedir.course_id / "inbound"


def parse(folder: pathlib.Path) -> Inbound | None:
    """The student, assignment and timestamp in an inbound folder's name, split as nbgrader's
    collect splits it (from the right: a student id may hold ``+``); None if it is not one."""
    parts = folder.name.rsplit("+", 3)
    if len(parts) == 4:
        student, assignment, timestamp, _ = parts
    elif len(parts) == 3:  # Exchange.add_random_string off
        student, assignment, timestamp = parts
    else:
        return None
    if not (student and assignment and timestamp):
        return None
    return Inbound(folder, student, assignment, timestamp)


def complete(folder: pathlib.Path, now: float | None = None) -> bool:
    """Has ``nbgrader submit`` finished writing this folder? (It writes the secret last.)"""
    secret = folder / "submission_secret.txt"
    if secret.is_file() and secret.stat().st_size > 0:
        return True
    try:
        age = (now or time.time()) - folder.stat().st_mtime
    except OSError:
        return False
    return (folder / "timestamp.txt").is_file() and age > INCOMPLETE_SECONDS


def pending(config: Config, known: set[str]) -> list[Inbound]:
    """Complete submissions in the inbound folder that are not in ``known`` (folder names),
    oldest first."""
    inbound = inbound_dir(config)
    if not inbound.is_dir():
        return []
    found = []
    for folder in inbound.iterdir():
        if folder.name in known or not folder.is_dir():
            continue
        item = parse(folder)
        if item is not None and complete(folder):
            found.append(item)
    return sorted(found, key=lambda item: (item.timestamp, item.folder.name))


class NotTheOwner(PermissionError):
    """An inbound folder names a student other than the Linux user who owns it."""


def owner(folder: pathlib.Path) -> str:
    """The name of the Linux user who owns ``folder`` (its uid if the user is unknown)."""
    uid = folder.stat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def collect(config: Config, item: Inbound) -> pathlib.Path:
    """Copy one submission to ``submitted/<student>/<assignment>/`` (replacing it) with
    nbgrader's copy; the destination. The copy is made beside it and renamed into place, so
    a crash never leaves half a submission there. Raises :class:`NotTheOwner` (nothing
    copied) when ``check_owner`` is on and the folder is not the named student's."""
    collector = _collector(config)
    if collector.check_owner and owner(item.folder) != item.student:
        raise NotTheOwner(f"{item.folder.name} names student {item.student!r} but belongs to "
                          f"user {owner(item.folder)!r}: not graded (c.ExchangeCollect.check_owner)")
    coursedir = collector.coursedir
    dest = pathlib.Path(coursedir.format_path(coursedir.submitted_directory, item.student,
                                              item.assignment))
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.parent / f".{item.assignment}.collecting"
    shutil.rmtree(partial, ignore_errors=True)
    collector.do_copy(str(item.folder), str(partial))
    old = dest.parent / f".{item.assignment}.old"
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        os.rename(dest, old)
    os.rename(partial, dest)
    shutil.rmtree(old, ignore_errors=True)
    return dest
