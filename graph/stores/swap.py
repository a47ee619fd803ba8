"""Replace a store directory by a new one atomically, and lock it against other writers.

A large write into an embedded store is made in a copy beside it (a RocksDB checkpoint:
hard links, so it costs milliseconds, not a copy of the data) and the two directories are
then exchanged in one step:

- on Linux, ``renameat2(RENAME_EXCHANGE)`` swaps them atomically: at every instant the
  store's path names either the old or the new directory;
- elsewhere, two renames with a marker: the new directory is marked complete first, and
  if the process dies between the renames, :func:`recover` finishes the swap (the store's
  path is missing only in that instant, and readers retry).

Leftovers of an interrupted write (``.NAME.next-*``, ``.NAME.old-*`` and the spooled input
``.NAME.spool-*`` beside the store) are removed by the next writer. Writers hold an exclusive lock on ``.NAME.lock`` beside
the store for as long as they have it open, so no other inspectgraph process opens the
old directory for writing while it is being replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import uuid
from pathlib import Path

__all__ = ["StoreLock", "exchange", "recover", "spool_dir", "staging_dir"]

#: Marks a new directory as complete, for the two-rename fallback.
COMPLETE = ".inspectgraph-complete"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_dir(path: Path) -> Path:
    """A fresh name beside ``path`` for the next version of the store."""
    return path.parent / f".{path.name}.next-{uuid.uuid4().hex[:12]}"


@contextlib.contextmanager
def spool_dir(path: Path):
    """A temporary folder beside the store at ``path`` for input spooled before a write,
    removed on exit; if the process dies, the store's next writer removes it
    (:func:`recover`), rather than leaving it in the system's temporary folder (a national
    write spools more than a gigabyte)."""
    folder = path.parent / f".{path.name}.spool-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class StoreLock:
    """An exclusive ``flock`` on ``.NAME.lock`` beside the store, held until released."""

    def __init__(self, path: Path):
        self.file = path.parent / f".{path.name}.lock"
        self._fd: int | None = None

    def acquire(self, blocking: bool = False) -> bool:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl  # POSIX; elsewhere RocksDB's own lock is the only one
        except ImportError:
            self._fd = fd
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def _renameat2():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    return function


_EXCHANGE = _renameat2()


def exchange(path: Path, new: Path) -> None:
    """Make ``new`` the directory at ``path``; the old one ends up at ``new``."""
    if _EXCHANGE is not None:
        done = _EXCHANGE(
            _AT_FDCWD, os.fsencode(path), _AT_FDCWD, os.fsencode(new), _RENAME_EXCHANGE
        )
        if done == 0:
            _sync_dir(path.parent)
            return
        # EINVAL/ENOSYS: this filesystem or kernel cannot exchange; fall back
    (new / COMPLETE).touch()
    _sync_dir(new)
    old = path.parent / new.name.replace(".next-", ".old-")
    os.rename(path, old)
    os.rename(new, path)  # a crash between the two renames: recover() finishes the swap
    os.rename(old, new)
    (path / COMPLETE).unlink(missing_ok=True)
    _sync_dir(path.parent)


def recover(path: Path) -> None:
    """Finish or undo an interrupted swap, and remove the leftovers of interrupted writes.

    The caller holds the store's lock."""
    parent = path.parent
    if not parent.exists():
        return
    nexts = {d.name.split(".next-", 1)[1]: d for d in parent.glob(f".{path.name}.next-*")}
    olds = {d.name.split(".old-", 1)[1]: d for d in parent.glob(f".{path.name}.old-*")}
    if not path.exists() and olds:
        token, old = next(iter(olds.items()))
        new = nexts.get(token)
        if new is not None and (new / COMPLETE).exists():
            os.rename(new, path)  # the new version was complete: roll forward
            (path / COMPLETE).unlink(missing_ok=True)
            del nexts[token]
        else:
            os.rename(old, path)  # roll back
            del olds[token]
        _sync_dir(parent)
    spools = parent.glob(f".{path.name}.spool-*")
    for leftover in [*nexts.values(), *olds.values(), *spools]:
        shutil.rmtree(leftover, ignore_errors=True)


def _sync_dir(path: Path) -> None:
    """Make a rename durable (the directory entry itself is flushed)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
