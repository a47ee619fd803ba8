"""Crash safety: kill builds with SIGKILL at random points; read while a build writes.

Every named graph must be complete or absent after a kill, the store must open, and
re-running the build must reach the digest of an uninterrupted build.

Only what needs its own process runs in one: the builds that are killed, and the
writer a reader races. The reference build and the re-runs after a kill are in-process
(the same `build` the command line calls), which spares a cold start and a validation
of the bundled data each.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from inspectgraph.build import build
from inspectgraph.stores import open_store

pytestmark = pytest.mark.slow
TRIALS = 8  # kill points drawn over the whole build; each trial also re-runs it


def records(n_findings: int, version: str) -> str:
    lines = [
        "format: inspectgraph-records/1",
        "agencies:",
        "  - {id: kill-council, label: Kill Council, type: local_authority}",
        "  - {id: kill-police, label: Kill Police, type: police}",
        "inspections:",
        "  - id: kill-2020",
        "    la: kill-council",
        "    type: focused_visit",
        "    documents: [{id: letter, title: Letter, published: 2020-01-01}]",
        "findings:",
    ]
    for i in range(n_findings):
        lines.append(
            f"  - {{id: f{i}, inspection: kill-2020, polarity: weakness, "
            f"themes: [front_door], agencies: [kill-council, kill-police], "
            f"summary: 'Finding {i} of version {version}.'}}"
        )
    return "\n".join(lines) + "\n"


def build_cmd(source, store):
    return [
        sys.executable,
        "-m",
        "inspectgraph",
        "build",
        "--quiet",
        str(source),
        "--store",
        str(store),
    ]


def build_in_process(source, store_path):
    """`inspectgraph build SOURCE --store STORE` without a new interpreter."""
    with open_store(store_path) as store:
        build(store, [source])


def graphs_of(store_path):
    with open_store(store_path, read_only=True) as store:
        out = {}
        for s, p, o, g in store.quads():
            out.setdefault(g, set()).add((s, p, o))
        return out, store.digest()


def test_sigkill_leaves_each_graph_complete_or_absent(tmp_path):
    source = tmp_path / "kill.yaml"
    source.write_text(records(300, "A"))
    reference = tmp_path / "reference"
    started = time.perf_counter()  # a whole build from a cold start, as the killed ones run
    subprocess.run(build_cmd(source, reference), check=True)
    duration = time.perf_counter() - started
    expected, expected_digest = graphs_of(reference)

    rng = random.Random(20261121)
    outcomes = {"absent": 0, "complete": 0}
    for trial in range(TRIALS):
        store = tmp_path / f"s{trial}"
        proc = subprocess.Popen(build_cmd(source, store))
        time.sleep(rng.uniform(0.05, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if not store.exists():
            outcomes["absent"] += 1
            continue
        found, _ = graphs_of(store)
        for name, triples in found.items():
            assert triples == expected[name], f"trial {trial}: graph {name} is partial"
        outcomes["complete" if found else "absent"] += 1
        build_in_process(source, store)
        assert graphs_of(store)[1] == expected_digest, f"trial {trial}: re-run differs"
    assert sum(outcomes.values()) == TRIALS


def test_reader_sees_one_version_or_the_other_while_a_build_writes(tmp_path):
    a, b = tmp_path / "kill.yaml", tmp_path / "b" / "kill.yaml"  # same name: same graph
    b.parent.mkdir()
    a.write_text(records(300, "A"))
    b.write_text(records(300, "B"))
    store = tmp_path / "store"
    build_in_process(a, store)
    # one writer process building B, A, B, ... (a build opens and closes the store each time)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from inspectgraph.build import build\n"
            "from inspectgraph.stores import open_store\n"
            "for i in range(6):\n"
            f"    with open_store({str(store)!r}) as store:\n"
            f"        build(store, [{str(b)!r} if i % 2 == 0 else {str(a)!r}])\n",
        ]
    )
    versions = set()
    reads = 0
    try:
        while writer.poll() is None:
            with open_store(store, read_only=True) as s:
                rows = s.query(
                    "SELECT ?d WHERE { ?f a <https://w3id.org/inspectgraph/def/Finding> ; "
                    "<http://purl.org/dc/terms/description> ?d }"
                )
            kinds = {str(d).rsplit(" ", 1)[-1] for (d,) in rows.rows}
            assert len(kinds) == 1 and len(rows.rows) == 300, f"inconsistent read: {kinds}"
            versions |= kinds
            reads += 1
    finally:
        writer.wait()
    assert writer.returncode == 0 and reads > 0
    assert os.path.exists(store)
