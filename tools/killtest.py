"""Kill a write with SIGKILL at moments taken from its own progress, and check the store.

Shared by the crash tests (a corpus slice, tests/test_crash.py) and the benchmark (the
whole corpus, :mod:`tools.bench`): the same promise at two scales. A reference run
records when each progress line appears; a kill moment is a progress line and a fraction
of the time to the next one (the last "line" is the process's exit), so the moments
follow the build's phases, the final write included, whatever the machine's speed.

After each kill the store must open for writing (which tidies up after an interrupted
write), and hold exactly the graphs and triple counts of the state before or of the
complete state after, with ``partnerships`` answering as in that state.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Moment", "State", "Timeline", "kill_at", "moments", "state_of", "timeline"]


@dataclass(frozen=True)
class State:
    """What a reader sees: triples per named graph and the partnerships answer."""

    graphs: dict[str, int]
    partnerships: str

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def state_of(store_path: Path | str, *, kind: str = "oxigraph") -> State:
    """The store's state, opened as the next command would (``remote``: a query URL)."""
    from inspectgraph.analysis import partnership_graph_from_store, recurring_partnerships
    from inspectgraph.graph.stores import open_store

    location = str(store_path) if kind == "remote" else Path(store_path)
    with open_store(location, kind=kind) as store:
        rows = store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        ).rows
        graphs = {str(g): int(n) for g, n in rows if not str(g).startswith("urn:x-inspectgraph:")}
        pairs = recurring_partnerships(partnership_graph_from_store(store), min_inspections=2)
    return State(graphs, json.dumps(pairs, sort_keys=True, default=str))


@dataclass
class Timeline:
    """Seconds from start at which each progress line appeared; the exit is the last."""

    lines: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Moment:
    """Kill when ``fraction`` of the reference gap after progress line ``after`` has passed."""

    after: int
    fraction: float
    label: str


def _start(cmd: list[str], env: dict | None) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def timeline(cmd: list[str], env: dict | None = None) -> Timeline:
    """Run ``cmd`` to the end, noting when each line of its standard error appears."""
    started = time.perf_counter()
    proc = _start(cmd, env)
    out = Timeline()
    for line in proc.stderr:
        out.lines.append(line.strip()[:80])
        out.times.append(time.perf_counter() - started)
    if proc.wait() != 0:
        raise RuntimeError(f"reference run failed ({proc.returncode}): {' '.join(cmd)}")
    out.lines.append("(exit)")
    out.times.append(time.perf_counter() - started)
    return out


def moments(reference: Timeline, count: int, seed: int, *, final: int = 3) -> list[Moment]:
    """``count`` kill moments spread over the phases (gaps between progress lines), at
    least ``final`` of them in the last phase (the final write) and one before the first
    line; seeded."""
    rng = random.Random(seed)
    gaps = len(reference.times)  # gap i ends at line i; gap 0 starts at the process start
    chosen = [Moment(-1, rng.uniform(0.05, 0.95), "before any progress")]
    last = gaps - 1
    for _ in range(final):
        chosen.append(Moment(last - 1, rng.uniform(0.02, 0.98), reference.lines[last - 1]))
    i = 0
    while len(chosen) < count:
        after = i % (last - 1)  # the phases between, round-robin
        chosen.append(Moment(after, rng.uniform(0.05, 0.95), reference.lines[after]))
        i += 1
    return sorted(chosen, key=lambda m: (m.after, m.fraction))


def kill_at(cmd: list[str], moment: Moment, reference: Timeline, env: dict | None = None):
    """Start ``cmd`` and SIGKILL it at ``moment``; returns (killed, seconds, the lines it
    had printed when killed).

    ``killed`` is False when the process finished first."""
    start_of = [0.0, *reference.times]
    gap = start_of[moment.after + 2] - start_of[moment.after + 1]
    delay = moment.fraction * gap
    started = time.perf_counter()
    proc = _start(cmd, env)
    seen: list[str] = []
    reached = threading.Event()
    if moment.after < 0:
        reached.set()

    def read() -> None:
        for line in proc.stderr:
            seen.append(line.strip()[:80])
            if len(seen) > moment.after:
                reached.set()
        reached.set()  # the process ended

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reached.wait()
    # the gap scaled by this run's pace to the line (a shared machine's speed drifts: at
    # the reference's pace, kills late in the final write fell after a faster run's end)
    if moment.after >= 0 and start_of[moment.after + 1] > 1.0:
        pace = (time.perf_counter() - started) / start_of[moment.after + 1]
        delay *= min(4.0, max(0.25, pace))
    time.sleep(delay)
    killed = proc.poll() is None
    printed = list(seen)  # not what its orphaned workers print once it is gone
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(5)
    return killed, time.perf_counter() - started, printed if killed else seen


def build_command(store: Path, corpus: list[Path], python: str | None = None) -> list[str]:
    """`inspectgraph build -v --corpus ... --store STORE` in a new interpreter."""
    cmd = [python or sys.executable, "-m", "inspectgraph", "build", "-v"]
    for c in corpus:
        cmd += ["--corpus", str(c)]
    return [*cmd, "--store", str(store)]


def fresh_copy(template: Path, target: Path) -> Path:
    """A copy of a store directory (a killed write may have left it in any state)."""
    for leftover in target.parent.glob(f".{target.name}.*"):
        shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink()
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(template, target)
    return target
