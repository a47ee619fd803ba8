"""A corpus folder's ``manifest.csv``, read and written in one place: one row a document,
its ``path`` relative to the folder, then ``urn``, ``local_authority``, ``document_type``,
``published``, ``source_url`` and what ``fetch`` adds (licence, checksum, size, when).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError

__all__ = ["MANIFEST", "MANIFEST_COLUMNS", "manifest_row", "manifest_rows", "write_manifest"]

#: The manifest's file name in a corpus folder.
MANIFEST = "manifest.csv"

#: The columns ``fetch`` writes, in order (a manifest may add its own after them).
MANIFEST_COLUMNS = [
    "path",
    "urn",
    "local_authority",
    "document_type",
    "published",
    "source_url",
    "licence",
    "sha256",
    "bytes",
    "fetched",
]


def manifest_rows(path: str | Path) -> list[dict[str, str]]:
    """The rows of a manifest: ``path`` is the file or the corpus folder that holds it.

    Raises :class:`InputError` naming the file when it cannot be read or has no ``path``
    column.
    """
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not reader.fieldnames or "path" not in reader.fieldnames:
        raise InputError(f"{path}: no 'path' column")
    return rows


def manifest_row(file: str | Path) -> tuple[dict[str, str] | None, str]:
    """The row that lists ``file`` in a manifest beside it or one folder up, and the file's
    path relative to that manifest's folder; ``(None, "")`` when none lists it."""
    file = Path(file)
    for folder in (file.parent, file.parent.parent):
        manifest = folder / MANIFEST
        if not manifest.exists():
            continue
        rel = file.resolve().relative_to(folder.resolve()).as_posix()
        try:
            rows = manifest_rows(manifest)
        except InputError:
            continue  # not a manifest of documents: look one folder up
        row = next((r for r in rows if r.get("path") == rel), None)
        if row:
            return row, rel
    return None, ""


def write_manifest(folder: Path, rows: Iterable[dict[str, str]]) -> None:
    """Rewrite the manifest atomically (a temporary file renamed over it)."""
    rows = sorted(rows, key=lambda r: r["path"])
    buf = io.StringIO()
    columns = list(MANIFEST_COLUMNS)
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    tmp = folder / (MANIFEST + ".part")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)
