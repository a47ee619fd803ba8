"""The peak memory of a build: of this process and its children together (the extraction
workers), read from ``/proc`` on Linux."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


class TreeMemory:
    """The peak resident memory of this process and its children together (the extraction
    workers), sampled five times a second on Linux (``/proc``); None elsewhere."""

    def __init__(self, interval: float = 0.2):
        import threading

        self.peak = 0.0
        self._done = threading.Event()
        self._thread = None
        if Path("/proc/self/status").exists():
            self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
            self._thread.start()

    def _run(self, interval: float) -> None:
        while True:
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))
            if self._done.wait(interval):
                return

    def stop(self) -> float | None:
        if self._thread is None:
            return None
        if not self._done.is_set():
            self._done.set()
            self._thread.join()
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))
        return round(self.peak, 1)


def tree_rss_mb(root: int) -> float:
    """Resident memory of process ``root`` and all its descendants (MB)."""
    children = children_of if Path(f"/proc/{root}/task").is_dir() else None
    scanned = None
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/status", "rb") as fh:
                for line in fh:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError):
            pass
        found = children(pid) if children is not None else None
        if found is None:  # no children files (a kernel without them): read every process
            scanned = scanned if scanned is not None else parents_by_scan()
            found = scanned.get(pid, ())
        todo.extend(found)
    return total / 1024


def children_of(pid: int) -> list[int] | None:
    """The child processes of ``pid`` from its threads' ``children`` files (a few reads,
    where scanning /proc reads one file per process on the machine, five times a second);
    None when the kernel does not provide them."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []  # the process has gone
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                found.extend(int(c) for c in fh.read().split())
        except FileNotFoundError:
            if not os.path.exists(f"/proc/{pid}/task/{tid}"):
                continue  # the thread has ended
            return None
        except (OSError, ValueError):
            continue
    return found


def parents_by_scan() -> dict[int, list[int]]:
    """{parent pid: child pids} of every process, read from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    return children


def peak_memory_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child (MB)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"process": round(own, 1), "largest worker": round(children, 1)}
