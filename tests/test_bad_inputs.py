"""The bad-input corpus: every broken file gives one clear line naming the file and
the problem, a documented exit code (1 validation, 2 error), and leaves the store
exactly as it was. Files are in tests/bad-inputs/ (expected.csv says what each must
give); a few that cannot live in a repository (huge, binary, unreadable) are made here.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from inspectgraph.graph.stores import open_store

HERE = Path(__file__).resolve().parent / "bad-inputs"
CASES = list(csv.DictReader((HERE / "expected.csv").open(encoding="utf-8")))


def generated_cases(tmp: Path) -> list[dict]:
    big = tmp / "ten-megabyte-line.yaml"
    big.write_text("format: inspectgraph-records/1\ntitle: " + "x" * 10_000_000 + "\nagencies: 5\n")
    binary = tmp / "binary.yaml"
    binary.write_bytes(bytes(range(256)) * 64)
    directory = tmp / "directory.yaml"
    directory.mkdir()
    dangling = tmp / "unreadable.yaml"
    dangling.symlink_to(tmp / "gone.yaml")  # root reads everything: a dangling link cannot be read
    nul = tmp / "nul-in-label.yaml"
    nul.write_text(
        'format: inspectgraph-records/1\nagencies: [{id: a, label: "A\\0B", type: police}]\n'
    )
    return [
        {"file": str(big), "command": "build", "exit": "2", "message": "agencies: expected a list"},
        {"file": str(binary), "command": "build", "exit": "2", "message": "not UTF-8"},
        {"file": str(directory), "command": "build", "exit": "2", "message": "is a directory"},
        {"file": str(dangling), "command": "build", "exit": "2", "message": "no such file"},
        {
            "file": str(tmp / "missing.yaml"),
            "command": "build",
            "exit": "2",
            "message": "no such file",
        },
        {"file": str(nul), "command": "build", "exit": "2", "message": "NUL character"},
        {"file": str(directory), "command": "query", "exit": "2", "message": "cannot read query"},
        *generated_pdfs(tmp),
    ]


def generated_pdfs(tmp: Path) -> list[dict]:
    """A PDF of our own (no letter text bundled), then truncated and encrypted copies."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from pypdf import PdfReader, PdfWriter

    good = tmp / "letter.pdf"
    fig = plt.figure(figsize=(8.27, 11.69))
    fig.text(0.1, 0.9, "Inspectors found that plans for children are weak.")
    fig.savefig(good)
    plt.close(fig)
    data = good.read_bytes()
    truncated = tmp / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    encrypted = tmp / "encrypted.pdf"
    writer = PdfWriter()
    writer.append(PdfReader(good))
    writer.encrypt(user_password="secret", owner_password="owner")
    with encrypted.open("wb") as fh:
        writer.write(fh)
    return [
        {"file": str(truncated), "command": "extract", "exit": "2", "message": "truncated.pdf"},
        {"file": str(encrypted), "command": "extract", "exit": "2", "message": "encrypted"},
    ]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, bundled_templates):
    """A store holding the bundled data, which no bad input may change: each test checks
    its graphs and size after its command, and the digest of every quad is checked once
    when the module's tests are done (a digest per test cost most of their time)."""
    path = tmp_path_factory.mktemp("bad") / "store"
    shutil.copytree(bundled_templates["oxigraph"], path)
    with open_store(path, read_only=True) as store:
        digest, shape = store.digest(), store_shape(store)
    yield path, shape
    with open_store(path, read_only=True) as store:
        assert store.digest() == digest, "a bad input changed the store"


def store_shape(store) -> tuple:
    """The graph names and quad count of a store: cheap to compare after every command."""
    return sorted(store.graph_names()), len(store)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert all((HERE / c["file"]).exists() for c in CASES), "expected.csv names a missing file"


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input_in_the_corpus(case, store_dir, cli_run):
    check(case, HERE / case["file"], *store_dir, cli_run)


@pytest.mark.slow  # a ten-megabyte line and PDFs drawn by matplotlib
def test_generated_bad_inputs(tmp_path, store_dir, cli_run):
    for case in generated_cases(tmp_path):
        check(case, Path(case["file"]), *store_dir, cli_run)


def check(case: dict, path: Path, store_dir: Path, before: tuple, cli_run) -> None:
    if case["command"] == "build":
        result = cli_run("build", path, "--store", store_dir)
    elif case["command"] == "outcomes":
        result = cli_run("build", "--outcomes", path, "--store", store_dir)
    elif case["command"] == "extract":
        result = cli_run("extract", path)
    else:
        result = cli_run("query", path, "--store", store_dir)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == int(case["exit"]), (case, result.output[:500])
    if result.exit_code == 0:  # accepted input, e.g. a legacy encoding decoded
        assert case["message"] in result.output
        return
    first = lines[0]
    assert first.startswith("Error: "), first
    assert path.name in first or str(path) in first or case["command"] == "query", first
    assert case["message"] in result.output, (case["message"], result.output[:500])
    assert len(first) < 600, "error line too long"
    if result.exit_code == 2 and case["command"] != "outcomes":
        assert len(lines) == 1, f"expected one line, got: {lines}"
    if case["command"] == "outcomes":  # the first line says it all; the rest lists every row
        assert all(line.startswith(path.name) for line in lines[1:]), lines
    with open_store(store_dir, read_only=True) as store:
        assert store_shape(store) == before, "the store changed"
    assert os.path.exists(store_dir)
