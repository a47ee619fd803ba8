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
from pathlib import Path

from .errors import InputError

__all__ = ["GRAPH_FILE", "SUMS_FILE", "load_release", "write_release"]

GRAPH_FILE = "graph.nq.gz"
SUMS_FILE = "SHA256SUMS"
LICENCE = "OGL-UK-3.0"  # the licence of Ofsted's reports, which the graph quotes


def _csv(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(
            [
                "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                for v in (r[c] for c in columns)
            ]
        )
    return out.getvalue().encode("utf-8")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)  # no timestamp: the same store gives the same bytes


def _schema(columns: list[str], integers=()) -> dict:
    return {
        "fields": [{"name": c, "type": "integer" if c in integers else "string"} for c in columns]
    }


def write_release(store, out: Path, *, version: str | None = None, title: str | None = None):
    """Write the release of ``store`` into the new or empty folder ``out``; returns
    ``{file name: SHA-256}``."""
    from .describe import describe
    from .export import serialize
    from .findings import FINDING_COLUMNS, findings_rows
    from .grades import grade_rows

    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out}: exists and is not an empty folder")
    version = version or dt.date.today().isoformat()
    title = title or "inspectgraph: a knowledge graph of Ofsted inspections"
    grade_columns, grades = grade_rows(store)
    files = {
        # the store as it is, so that `load` gives it back digest for digest (`export`
        # adds the quotations' Web Annotation form)
        GRAPH_FILE: _gzip(serialize(store, "nq", web_annotation=False)),
        "findings.csv.gz": _gzip(_csv(FINDING_COLUMNS, findings_rows(store))),
        "grades.csv": _csv(grade_columns, grades),
        "description.ttl": describe(store, title=title).serialize(
            format="turtle", encoding="utf-8"
        ),
    }
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
            _resource(GRAPH_FILE, files[GRAPH_FILE], "nq", "application/n-quads", None),
            _resource(
                "findings.csv.gz",
                files["findings.csv.gz"],
                "csv",
                "text/csv",
                _schema(FINDING_COLUMNS, integers=("start", "end")),
            ),
            _resource("grades.csv", files["grades.csv"], "csv", "text/csv", _schema(grade_columns)),
            _resource("description.ttl", files["description.ttl"], "ttl", "text/turtle", None),
        ],
    }
    files["datapackage.json"] = (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode()
    files["CITATION.cff"] = _citation(title, version).encode("utf-8")
    sums = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
    files[SUMS_FILE] = "".join(f"{h}  {n}\n" for n, h in sums.items()).encode()
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return sums


def _resource(name: str, data: bytes, fmt: str, media: str, schema: dict | None) -> dict:
    entry = {
        "name": name.split(".")[0],
        "path": name,
        "format": fmt,
        "mediatype": media,
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
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
    try:
        data = gzip.decompress((Path(folder) / GRAPH_FILE).read_bytes())
    except (OSError, EOFError) as exc:
        raise InputError(f"{Path(folder) / GRAPH_FILE}: not a gzip file: {exc}") from exc
    lines = data.count(b"\n")
    say(f"writing {GRAPH_FILE} ({lines:,} lines of N-Quads) into the store")
    return store.load(data, format="nquads")
