"""Fixtures of the Ofsted corpus (INSPECTGRAPH_CORPUS): the corpus and the joint one, its
whole extraction and national build made once a run, and slices of it copied with their
manifest rows.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


def _with_manifest(path: Path) -> Path | None:
    return path if (path / "manifest.csv").exists() else None


def _ofsted_corpus_path() -> Path:
    return Path(os.environ.get("INSPECTGRAPH_CORPUS", REPO.parent / "shared" / "corpus"))


def _present(path: Path | None, missing_in_ci: str, not_found: str) -> Path:
    """`path`, or the test fails (in CI) or is skipped (elsewhere) when it is None."""
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(missing_in_ci)
        pytest.skip(not_found)
    return path


def corpus_dir() -> Path | None:
    """The shared Ofsted corpus ($INSPECTGRAPH_CORPUS, default ../shared/corpus), if present."""
    return _with_manifest(_ofsted_corpus_path())


@pytest.fixture(scope="session")
def corpus() -> Path:
    return _present(
        corpus_dir(),
        "INSPECTGRAPH_CORPUS is not set to the corpus in CI",
        "Ofsted corpus not found: set INSPECTGRAPH_CORPUS (letter texts are not bundled)",
    )


def corpus_joint_dir() -> Path | None:
    """The joint-inspections corpus: the folder ``corpus-joint`` beside the Ofsted corpus."""
    return _with_manifest(_ofsted_corpus_path().parent / "corpus-joint")


@pytest.fixture(scope="session")
def corpus_joint() -> Path:
    """JTAI and area SEND letters (``corpus-joint``, sibling of $INSPECTGRAPH_CORPUS)."""
    return _present(
        corpus_joint_dir(),
        "the joint corpus (corpus-joint beside INSPECTGRAPH_CORPUS) is missing in CI",
        "joint-inspections corpus not found: corpus-joint beside INSPECTGRAPH_CORPUS "
        "(letter texts are not bundled)",
    )


@pytest.fixture(scope="session")
def corpus_extractions(corpus) -> dict:
    """Every letter and report of the corpus extracted once per test run, as
    ``extract(path, manifest_row=row)`` gives it: {manifest path: Extraction}.

    Shared by every test that reads the whole corpus (offsets, layouts, the evaluation's
    figures) and by the `national` build; those tests live in test_national.py, so that
    one xdist worker makes it. A test that needs a few documents extracts them itself."""
    from inspectgraph.extract import extract, read_manifest

    rows = read_manifest(corpus / "manifest.csv")
    return {rel: extract(corpus / rel, manifest_row=row) for rel, row in rows.items()}


@pytest.fixture(scope="session")
def national(corpus, corpus_extractions, tmp_path_factory):
    """The whole corpus built once per test run by the command line, as a user builds it
    (`inspectgraph build --corpus ... --store ...`): (store, output, documents).

    The command runs in this process (click's runner) so that it reuses the run's one
    extraction of the corpus: the build's ``extract(path, manifest_row=row)`` calls get
    the results `corpus_extractions` holds for the same file and row (its extraction
    workers are forked from here, so they see them too); anything else is extracted."""
    import inspectgraph.extract as extract_package
    from inspectgraph.cli.main import cli

    real = extract_package.extract
    rows = extract_package.read_manifest(corpus / "manifest.csv")  # as corpus_extractions
    made = {(corpus / rel).resolve(): (rows[rel], x) for rel, x in corpus_extractions.items()}

    def shared(source, **options):
        hit = made.get(Path(source).resolve()) if isinstance(source, (str, Path)) else None
        if hit is not None and options == {"manifest_row": hit[0]}:
            return hit[1]
        return real(source, **options)

    store = tmp_path_factory.mktemp("national") / "store"
    extract_package.extract = shared
    try:
        result = CliRunner().invoke(
            cli, ["build", "--corpus", str(corpus), "--store", str(store)], catch_exceptions=False
        )
    finally:
        extract_package.extract = real
    assert result.exit_code == 0, result.output[-2000:]
    return store, result.output, len(rows)


# two letters of the corpus (one joined to the Sunderland records, one in no other source)
MINI_CORPUS_DOCS = (
    "focused-visits/80566_sunderland_2023-11-29.txt",
    "focused-visits/80469_gateshead_2021-10-27.txt",
)


@pytest.fixture
def mini_corpus(corpus, tmp_path) -> Path:
    """A folder laid out like the corpus (manifest.csv and texts) holding two of its letters."""
    return copy_corpus_rows(
        corpus,
        tmp_path / "mini-corpus",
        lambda rows: [r for r in rows if r["path"] in MINI_CORPUS_DOCS],
    )


@pytest.fixture(scope="session")
def shared_mini_corpus(corpus, tmp_path_factory) -> Path:
    """The `mini_corpus` folder made once per test run, for tests that only read it (and the
    stores built from it, which module fixtures then share)."""
    return copy_corpus_rows(
        corpus,
        tmp_path_factory.mktemp("shared-mini-corpus"),
        lambda rows: [r for r in rows if r["path"] in MINI_CORPUS_DOCS],
    )


@pytest.fixture(scope="session")
def shared_mini_store(shared_mini_corpus, tmp_path_factory) -> Path:
    """The two letters of `shared_mini_corpus` built by the command line (`build --corpus`,
    with the bundled data), once per test run, for tests that only read the store."""
    from inspectgraph.cli.main import cli

    store = tmp_path_factory.mktemp("shared-mini-store") / "store"
    args = ["build", "--corpus", str(shared_mini_corpus), "--store", str(store), "-q"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture(scope="session")
def corpus_rows_copier():
    """:func:`copy_corpus_rows`, for test modules (they do not import conftest)."""
    return copy_corpus_rows


def copy_corpus_rows(corpus: Path, folder: Path, choose) -> Path:
    """A folder laid out like ``corpus`` holding the manifest rows ``choose(rows)`` picks
    (rows sorted by path) and their texts."""
    with (corpus / "manifest.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        picked = choose(sorted(reader, key=lambda r: r["path"]))
        fields = reader.fieldnames
    for row in picked:
        (folder / row["path"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / row["path"], folder / row["path"])
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(picked)
    return folder
