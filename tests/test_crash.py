"""Crash safety: kill writes with SIGKILL at many moments; read while a build writes.

- records builds killed at random points: every named graph complete or absent, the
  store opens, and re-running the build reaches the digest of an uninterrupted build;
- `build --corpus` (six documents) on top of the demo store, killed at ten moments drawn
  from its own progress (three in the final write): the store is exactly as before or as after, and
  `partnerships` answers accordingly (issue 19; the national-scale version is in
  `make bench`, :mod:`tools.benchdurable`);
- the same for a staged remote write against a real `oxigraph serve`, and for `load` of a
  release into an existing store;
- a reader racing a writer that swaps checkpoints in sees one version or the other.

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
from functools import partial
from pathlib import Path

import pytest

from inspectgraph.graph.build import build
from inspectgraph.graph.stores import OxigraphStore, digest_of, open_store
from tools.killtest import build_command, fresh_copy, kill_at, moments, state_of, timeline

pytestmark = pytest.mark.slow
TRIALS = 3  # kill points drawn over the whole build; each trial also re-runs it


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
    """{graph: its triples} and the store's digest, from one read of the store (the
    digest of the quads read is the store's own: tests/test_digest.py)."""
    with open_store(store_path, read_only=True) as store:
        quads = list(store.quads())
    out = {}
    for s, p, o, g in quads:
        out.setdefault(g, set()).add((s, p, o))
    return out, digest_of(quads)


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
            "from inspectgraph.graph.build import build\n"
            "from inspectgraph.graph.stores import OxigraphStore, open_store\n"
            # every other build through the bulk loader: a checkpoint swapped in
            "for i in range(6):\n"
            "    OxigraphStore.bulk_threshold = 100 if i % 4 < 2 else 20_000\n"
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


# ------------------------------------------------- build --corpus on top of the demo store


def kill_trials(cmd, reference, kills, reset, target, *, before, after, kind="oxigraph", **opts):
    """Run ``cmd`` from ``reset()`` and SIGKILL it at each of the moments ``kills``: every
    time, the store ``target`` (of ``kind``) is as before or as after, and no staging store
    is left in ``opts["scratch"]`` (when given); at least one kill leaves it as before.
    ``opts["env"]``: the command's environment."""
    seen = {"before": 0, "after": 0}
    for moment in kills:
        reset()
        killed, seconds, lines = kill_at(cmd, moment, reference, opts.get("env"))
        found = state_of(target, kind=kind)
        label = f"killed {seconds:.1f} s in, after {lines[-1:] or 'no progress'}"
        assert found in (before, after), f"{label}: {found.triples} triples, a mix"
        seen["before" if found == before else "after"] += 1
        if "scratch" in opts:
            assert not list(opts["scratch"].glob(".store.next-*")), (
                f"{label}: leftovers not removed"
            )
    assert seen["before"] >= 1, seen


SLICE = (
    # two letters: one joined to the Sunderland records, one in no other source
    "focused-visits/80566_sunderland_2023-11-29.txt",
    "focused-visits/80469_gateshead_2021-10-27.txt",
    # four of the longest reports (most findings a second of extraction): with the
    # letters, the ontology and the rebuilt Sunderland graph, about 24,000 quads written
    "inspections/80418_norfolk_2015-10-20.txt",
    "inspections/80418_norfolk_2018-01-19.txt",
    "inspections/2733690_cumberland_2024-11-26.txt",
    "inspections/2733698_westmorland-and-furness_2024-07-12.txt",
)
KILL_MOMENTS = 10  # spread over the build's phases from its own progress, 3 in the final write


@pytest.fixture
def corpus_slice(corpus, tmp_path, corpus_rows_copier) -> Path:
    """Six letters and reports of the corpus, laid out like it: the fewest that make the
    final write (about 24,000 quads, the test asserts more than the threshold) go through
    the bulk loader, not one transaction. (It was eleven, 36,000 quads: the extraction of
    the five more was a third of every killed build's time.)"""
    return corpus_rows_copier(
        corpus, tmp_path / "slice", lambda rows: [r for r in rows if r["path"] in SLICE]
    )


def test_sigkill_of_a_corpus_build_leaves_the_demo_store_as_before_or_after(
    tmp_path, corpus_slice, bundled_templates
):
    """`build --corpus` on top of the demo store (the bundled build), killed at moments
    drawn from its own progress lines: every time, the store opens with exactly the graphs
    and triple counts of before or of the complete after, and `partnerships` agrees."""
    demo = bundled_templates["oxigraph"]
    store = fresh_copy(demo, tmp_path / "store")
    before = state_of(store)
    # -q: no digest of the store after the write (as at national scale, where the store is
    # too large for one); -v still prints the progress lines the kill moments come from
    cmd = [*build_command(store, [corpus_slice]), "-q"]
    reference = timeline(cmd)
    after = state_of(store)
    written = [g for g in after.graphs if g not in before.graphs or "/ontology" in g]
    written += [g for g in after.graphs if g.endswith("/sunderland")]  # rebuilt, unchanged
    assert sum(after.graphs[g] for g in written) > OxigraphStore.bulk_threshold
    assert after.graphs != before.graphs and after.partnerships != before.partnerships
    assert all(after.graphs.get(g) == n for g, n in before.graphs.items() if "ontology" not in g)
    kills = moments(reference, KILL_MOMENTS, seed=20261206)
    reset = partial(fresh_copy, demo, store)
    kill_trials(cmd, reference, kills, reset, store, before=before, after=after, scratch=tmp_path)


def test_sigkill_of_a_remote_write_leaves_the_endpoint_as_before_or_after(
    tmp_path, mini_corpus, bundled_templates, oxigraph_servers
):
    """The same against a real `oxigraph serve`, with requests small enough that the final
    write is staged over many of them: killed anywhere, the endpoint answers as before
    or as after, and staging graphs never show."""
    server = oxigraph_servers.acquire()
    demo = bundled_templates["memory"] / "store.nq"
    env = {"INSPECTGRAPH_REQUEST_BYTES": "100000"}

    def reset():
        server.clear()
        open_store(server.query_url, kind="remote").load(demo)

    try:
        reset()
        before = state_of(server.query_url, kind="remote")
        cmd = [*build_command(Path("-"), [mini_corpus])[:-2], "--endpoint", server.query_url]
        reference = timeline(cmd, env)
        after = state_of(server.query_url, kind="remote")
        assert after.graphs != before.graphs
        kills = moments(reference, 5, seed=19, final=3)
        url = server.query_url
        kill_trials(
            cmd, reference, kills, reset, url, before=before, after=after, kind="remote", env=env
        )
    finally:
        oxigraph_servers.release(server)


# ------------------------------------------------- `load` of a release into an existing store

LOAD_KILLS = 4  # one before any progress, three in the final write: a few cold starts
G = "https://w3id.org/inspectgraph/id/graph/"


def synthetic_graph(name: str, n: int, version: str) -> bytes:
    """``n`` quads of one named graph as N-Quads, ``version`` in each object."""
    return "".join(
        f'<urn:x-test:{name}/{i}> <urn:x-test:p> "{version} {i}" <{G}{name}> .\n' for i in range(n)
    ).encode()


def write_graph_release(folder: Path, nquads: bytes) -> None:
    """The least a release is for `load`: graph.nq.gz and SHA256SUMS naming it."""
    import gzip
    import hashlib

    from inspectgraph.linking.release import GRAPH_FILE, SUMS_FILE

    folder.mkdir()
    data = gzip.compress(nquads, mtime=0)
    (folder / GRAPH_FILE).write_bytes(data)
    (folder / SUMS_FILE).write_text(f"{hashlib.sha256(data).hexdigest()}  {GRAPH_FILE}\n")


def test_sigkill_of_a_release_load_leaves_the_store_as_before_or_after(tmp_path, bundled_templates):
    """`inspectgraph load RELEASE --store S`, killed at moments drawn from its own
    progress, into a store holding a graph the release does not (so the write goes
    through a checkpoint of the store) and an older version of one it does: the store
    opens as before or as after. The release (the demo store's graphs and the newer
    version, as N-Quads) and the target are made in-process; only the loads run in their
    own process, because they are what is killed."""
    import pyoxigraph as ox

    demo = bundled_templates["oxigraph"]
    reader = ox.Store.read_only(str(demo))
    write_graph_release(
        tmp_path / "release",
        reader.dump(format=ox.RdfFormat.N_QUADS) + synthetic_graph("changed", 200, "new"),
    )
    del reader
    template = fresh_copy(demo, tmp_path / "template")
    with open_store(template) as target:
        target.load(synthetic_graph("changed", 300, "old") + synthetic_graph("kept", 50, "old"))

    store = fresh_copy(template, tmp_path / "store")
    before = state_of(store)
    cmd = [sys.executable, "-m", "inspectgraph", "load", "-v", "-q", str(tmp_path / "release")]
    reference = timeline([*cmd, "--store", str(store)])
    after = state_of(store)
    assert (before.graphs[f"{G}changed"], after.graphs[f"{G}changed"]) == (300, 200)
    assert after.graphs[f"{G}kept"] == 50
    assert after.triples - 250 > OxigraphStore.bulk_threshold  # through the bulk loader
    cmd, kills = [*cmd, "--store", str(store)], moments(reference, LOAD_KILLS, seed=20261207)
    reset = partial(fresh_copy, template, store)
    kill_trials(cmd, reference, kills, reset, store, before=before, after=after, scratch=tmp_path)
