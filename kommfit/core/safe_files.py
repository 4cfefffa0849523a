"""Reading a folder that someone else can write to, without ever following their links.

Participants own their hand-in folders in the exchange. ``shutil.copytree``, ``Path.rglob`` + ``is_file`` and ``open``
follow symbolic links, so a link named like a notebook but pointing at the cohort's secret or gradebook would be read
with the grader's rights. Here every folder is opened relative to its parent's descriptor with ``O_NOFOLLOW`` (a
folder swapped for a link between two steps is refused too), and only regular files are opened, non-blocking, so a
FIFO cannot hang the reader and a device is never opened. What is left out is reported, never silently dropped.
"""

from __future__ import annotations

import errno
import os
import pwd
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
# Deeper nesting is no hand-in; the limit keeps a hostile tree from exhausting recursion or file descriptors.
MAX_DEPTH = 32


def kind_of(mode: int) -> str:
    """German name of what a non-regular entry is, for the facilitator's message."""
    if stat.S_ISLNK(mode):
        return "Verknüpfung"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "Gerätedatei"
    if stat.S_ISSOCK(mode):
        return "Socket"
    return "Sonderdatei"


def walk_regular_files(
    top: Path, skipped: list[str], prune: Callable[[str], bool] = lambda name: False, same_owner: bool = False
) -> Iterator[tuple[str, int | None]]:
    """Yield ``(relative path, None)`` for each folder and ``(relative path, descriptor)`` for each regular file below
    ``top`` (the descriptor is open for reading until the next step). Links, devices, FIFOs and sockets — and ``top``
    itself if it is one — are appended to ``skipped`` as ``"path (Art)"``; names for which ``prune`` is true are
    left out silently (nbgrader's ignore list). With ``same_owner``, entries of another account than ``top``'s are
    skipped too: in a participant's folder such a file can only be a hard link to someone else's data."""
    try:
        top_fd = os.open(top, DIR_FLAGS)
    except OSError as error:
        skipped.append(f". ({_reason(error)})")
        return
    try:
        owner = os.fstat(top_fd).st_uid if same_owner else None
        yield from _walk(top_fd, "", skipped, prune, owner, 0)
    finally:
        os.close(top_fd)


def _walk(
    dir_fd: int, prefix: str, skipped: list[str], prune: Callable[[str], bool], owner: int | None, depth: int
) -> Iterator[tuple[str, int | None]]:
    try:
        names = sorted(os.listdir(dir_fd))
    except OSError as error:
        skipped.append(f"{prefix or '.'} ({_reason(error)})")
        return
    for name in names:
        if prune(name):
            continue
        path = prefix + name
        try:
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError as error:
            skipped.append(f"{path} ({_reason(error)})")
            continue
        if owner is not None and info.st_uid != owner and (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
            skipped.append(f"{path} (gehört einem anderen Konto)")
            continue
        if stat.S_ISDIR(info.st_mode):
            if depth >= MAX_DEPTH:
                skipped.append(f"{path} (zu tief verschachtelt)")
                continue
            try:
                child = os.open(name, DIR_FLAGS, dir_fd=dir_fd)
            except OSError as error:
                skipped.append(f"{path} ({_reason(error)})")
                continue
            try:
                yield path, None
                yield from _walk(child, path + "/", skipped, prune, owner, depth + 1)
            finally:
                os.close(child)
        elif stat.S_ISREG(info.st_mode):
            try:
                fd = os.open(name, FILE_FLAGS, dir_fd=dir_fd)
            except OSError as error:
                skipped.append(f"{path} ({_reason(error)})")
                continue
            try:
                opened = os.fstat(fd)
                if not stat.S_ISREG(opened.st_mode):  # swapped for something else after the check
                    skipped.append(f"{path} ({kind_of(opened.st_mode)})")
                elif owner is not None and opened.st_uid != owner:
                    skipped.append(f"{path} (gehört einem anderen Konto)")
                else:
                    yield path, fd
            finally:
                os.close(fd)
        else:
            skipped.append(f"{path} ({kind_of(info.st_mode)})")


def account_name(uid: int) -> str:
    """The name of the account with ``uid``, or ``uid N`` where it has none (never a valid participant id)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "Verknüpfung"
    if error.errno == errno.ENOTDIR:
        return "kein Ordner"
    return error.strerror or "nicht lesbar"
