"""Extraction of many letters and reports at once, for ``inspectgraph extract DIR…``.

Folders are searched for ``.txt``, ``.pdf`` and ``.html`` files; each file takes its
metadata from the corpus manifest that lists it (a ``manifest.csv`` in its folder or one
of the two above, as a corpus lays them out). A tidy CSV has one row per finding.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from .core import extract, read_manifest

__all__ = ["FINDING_CSV_COLUMNS", "document_files", "extract_files", "finding_csv_rows"]

SUFFIXES = (".txt", ".pdf", ".html", ".htm")

#: Columns of ``extract --format csv``: the document's facts, then the finding's.
FINDING_CSV_COLUMNS = [
    "file",
    "la",
    "urn",
    "type",
    "published",
    "start",
    "end",
    "section",
    "polarity",
    "polarity_cue",
    "themes",
    "agencies",
    "criticised",
    "text",
]


def document_files(paths: Iterable[Path]) -> list[Path]:
    """The letters and reports ``paths`` name: files as given, folders searched (sorted);
    a path that does not exist is an :class:`InputError`."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return list(dict.fromkeys(out))


@lru_cache(maxsize=32)
def _manifest(path: Path) -> dict[str, dict]:
    return read_manifest(path)


def manifest_row(file: Path, manifest: Path | None = None) -> dict | None:
    """The manifest row of ``file``: from ``manifest`` if given, else from the nearest
    ``manifest.csv`` at most two folders up that lists it."""
    resolved = file.resolve()
    candidates = [manifest] if manifest else [p / "manifest.csv" for p in resolved.parents[:3]]
    for candidate in candidates:
        if candidate is None or not candidate.exists():
            continue
        try:
            rel = resolved.relative_to(candidate.resolve().parent).as_posix()
        except ValueError:
            continue
        row = _manifest(candidate.resolve()).get(rel)
        if row is not None:
            return row
    return None


def extract_files(
    files: Iterable[Path], *, la: str | None = None, manifest: Path | None = None
) -> Iterator[tuple[Path, object]]:
    """``(file, Extraction)`` for each file, in order."""
    for file in files:
        yield file, extract(file, la=la, manifest_row=manifest_row(file, manifest))


def finding_csv_rows(file: Path, extraction) -> list[list[object]]:
    """The CSV rows (:data:`FINDING_CSV_COLUMNS`) of one extraction's findings."""
    info = extraction.document
    rows = []
    for f in extraction.findings:
        cue = next((v for k, v in f.cues.items() if k.startswith("polarity:")), "")
        rows.append(
            [
                str(file),
                info.la or "",
                info.urn or "",
                info.type or "",
                info.published.isoformat() if info.published else "",
                f.start,
                f.end,
                f.section or "",
                f.polarity,
                cue,
                "; ".join(f.themes),
                "; ".join(f.agencies),
                "; ".join(f.criticised),
                f.text,
            ]
        )
    return rows


def csv_text(rows: Iterable[list[object]], header: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(FINDING_CSV_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()
