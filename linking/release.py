"""A citable release of a store, and loading one: the national graph without the corpus.

:func:`write_release` writes a folder: the graph as gzipped N-Quads, the findings and
grades tables, the DCAT/VoID description, a Frictionless ``datapackage.json``, a
``CITATION.cff`` and ``SHA256SUMS``. :func:`load_release` checks every sum before it
loads the graph, so a damaged or altered download never reaches the store.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError

__all__ = ["GRAPH_FILE", "SUMS_FILE", "load_release", "write_release"]

GRAPH_FILE = "graph.nq.gz"
SUMS_FILE = "SHA256SUMS"
LICENCE = "OGL-UK-3.0"  # the licence of Ofsted's reports, which the graph quotes


def _csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[bytes]:
    """The CSV table, a piece of rows at a time (a header first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for n, r in enumerate(rows, 1):
        writer.writerow(
            [
                "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                for v in (r[c] for c in columns)
            ]
        )
        if n % 1000 == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


class _SummedFile:
    """A binary file that counts and hashes the bytes it writes, gzipping what it is given
    first when ``level`` is set: a file's size and SHA-256 known as it is written.

    zlib's gzip stream with mtime 0 and no name is the one :func:`gzip.compress` gives
    with ``mtime=0``: the same data gives the same bytes however it is cut."""

    def __init__(self, path: Path, level: int | None = None):
        self._file = path.open("wb")
        self._zip = zlib.compressobj(level, zlib.DEFLATED, 31) if level is not None else None
        self._sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._put(self._zip.compress(data) if self._zip is not None else data)
        return len(data)

    def flush(self) -> None:  # the data stays in zlib until close: a gzip member is whole
        self._file.flush()

    def _put(self, data: bytes) -> None:
        self._sha.update(data)
        self.size += len(data)
        self._file.write(data)

    def close(self) -> str:
        """Finish the file; its SHA-256."""
        if self._zip is not None:
            self._put(self._zip.flush())
            self._zip = None
        self._file.close()
        return self._sha.hexdigest()


def _schema(columns: list[str], integers=()) -> dict:
    return {
        "fields": [{"name": c, "type": "integer" if c in integers else "string"} for c in columns]
    }


# The graph is compressed less than the tables: level 9 takes twice as long on hundreds of
# megabytes of N-Quads for a file a few per cent smaller.
_GRAPH_LEVEL = 6
_TABLE_LEVEL = 9  # gzip.compress's level: the findings table as it always was


def write_release(store, out: Path, *, version: str | None = None, title: str | None = None):
    """Write the release of ``store`` into the new or empty folder ``out``; returns
    ``{file name: SHA-256}``.

    Every file is streamed: the graph's N-Quads compressed as they are dumped, the
    findings table a page of inspections at a time, each file's sum taken as it is
    written. The files are written into a hidden folder beside ``out`` that is renamed
    to ``out`` at the end, so a failed release leaves no partial bundle."""
    from ..analysis.findings import FINDING_COLUMNS, findings_pages
    from ..analysis.grades import grade_rows
    from .describe import describe

    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out}: exists and is not an empty folder")
    version = version or dt.date.today().isoformat()
    title = title or "inspectgraph: a knowledge graph of Ofsted inspections"
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    work.chmod(0o777 & ~umask)  # as mkdir would have made it, not mkdtemp's private 0700
    try:
        sums: dict[str, str] = {}
        sizes: dict[str, int] = {}

        def write(name: str, pieces: Iterable[bytes], level: int | None = None) -> None:
            target = _SummedFile(work / name, level)
            try:
                for piece in pieces:
                    target.write(piece)
            finally:
                sums[name] = target.close()
            sizes[name] = target.size

        # the store as it is, so that `load` gives it back digest for digest (`export`
        # adds the quotations' Web Annotation form)
        graph = _SummedFile(work / GRAPH_FILE, _GRAPH_LEVEL)
        try:
            store.dump_nquads(graph)
        finally:
            sums[GRAPH_FILE] = graph.close()
        sizes[GRAPH_FILE] = graph.size
        write("findings.csv.gz", _csv_lines(FINDING_COLUMNS, findings_pages(store)), _TABLE_LEVEL)
        grade_columns, grades = grade_rows(store)
        write("grades.csv", _csv_lines(grade_columns, grades))
        write(
            "description.ttl",
            [describe(store, title=title).serialize(format="turtle", encoding="utf-8")],
        )
        digest = store.digest()
        package = {
            "profile": "data-package",
            "name": "inspectgraph",
            "title": title,
            "version": version,
            "created": dt.date.today().isoformat(),
            "licenses": [
                {
                    "name": LICENCE,
                    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
                }
            ],
            "sources": [
                {
                    "title": "Ofsted inspection reports and outcome files",
                    "path": "https://reports.ofsted.gov.uk/",
                }
            ],
            "inspectgraph": {"store_digest": digest},
            "resources": [
                _resource(GRAPH_FILE, sizes, sums, "nq", "application/n-quads", None),
                _resource(
                    "findings.csv.gz",
                    sizes,
                    sums,
                    "csv",
                    "text/csv",
                    _schema(FINDING_COLUMNS, integers=("start", "end")),
                ),
                _resource("grades.csv", sizes, sums, "csv", "text/csv", _schema(grade_columns)),
                _resource("description.ttl", sizes, sums, "ttl", "text/turtle", None),
            ],
        }
        write(
            "datapackage.json",
            [(json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode()],
        )
        write("CITATION.cff", [_citation(title, version).encode("utf-8")])
        sums = dict(sorted(sums.items()))
        (work / SUMS_FILE).write_bytes("".join(f"{h}  {n}\n" for n, h in sums.items()).encode())
        if out.exists():
            out.rmdir()  # empty, checked above
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return sums


def _resource(
    name: str, sizes: dict, sums: dict, fmt: str, media: str, schema: dict | None
) -> dict:
    entry = {
        "name": name.split(".")[0],
        "path": name,
        "format": fmt,
        "mediatype": media,
        "bytes": sizes[name],
        "hash": f"sha256:{sums[name]}",
    }
    if name.endswith(".gz"):
        entry["compression"] = "gz"
    if schema:
        entry["schema"] = schema
    return entry


def _citation(title: str, version: str) -> str:
    return (
        "cff-version: 1.2.0\n"
        "message: If you use this dataset, please cite it as below.\n"
        "type: dataset\n"
        f"title: {json.dumps(title)}\n"
        f"version: {json.dumps(version)}\n"
        f"date-released: {dt.date.today().isoformat()}\n"
        f"license: {LICENCE}\n"
        "authors:\n"
        "  - name: inspectgraph contributors\n"
    )


def verify_release(folder: Path) -> dict[str, str]:
    """``{file: SHA-256}`` of a release folder, every file checked against SHA256SUMS;
    :class:`InputError` naming the first file that is missing or differs."""
    folder = Path(folder)
    sums_path = folder / SUMS_FILE
    if not sums_path.is_file():
        raise InputError(f"{sums_path}: missing; not a release folder")
    sums: dict[str, str] = {}
    for n, line in enumerate(sums_path.read_text(encoding="utf-8").splitlines(), 1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name or "/" in name or name.startswith("."):
            raise InputError(f"{sums_path}:{n}: expected 'SHA256  FILE', got {line!r}")
        sums[name] = digest
    for name, digest in sums.items():
        path = folder / name
        if not path.is_file():
            raise InputError(f"{path}: listed in {SUMS_FILE} but missing")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise InputError(f"{path}: SHA-256 differs from {SUMS_FILE}; the file is damaged")
    if GRAPH_FILE not in sums:
        raise InputError(f"{sums_path}: lists no {GRAPH_FILE}")
    return sums


def load_release(store, folder: Path, progress=None) -> dict:
    """Verify the release in ``folder`` and load its graph into ``store`` (replacing the
    named graphs it holds); returns the triple count per graph. ``progress(message)`` is
    told each step (the crash test kills a load between them)."""
    say = progress or (lambda _message: None)
    sums = verify_release(folder)
    say(f"checked {len(sums)} files against {SUMS_FILE}")
    source = Path(folder) / GRAPH_FILE
    with store.spool_dir() as spool:
        # decompressed to a file, a block at a time: the bulk loader then reads it in
        # pieces of whole lines, and the graph is never held in memory whole
        data = Path(spool) / "graph.nq"
        lines = 0
        try:
            with gzip.open(source, "rb") as packed, data.open("wb") as plain:
                while block := packed.read(1 << 20):
                    lines += block.count(b"\n")
                    plain.write(block)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{source}: not a gzip file: {exc}") from exc
        say(f"writing {GRAPH_FILE} ({lines:,} lines of N-Quads) into the store")
        return store.load(data, format="nquads")
