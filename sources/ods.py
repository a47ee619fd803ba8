"""A small streaming reader for OpenDocument spreadsheets (.ods), standard library only.

Ofsted publishes its official statistics as ``.ods`` workbooks. We read them with
``zipfile`` and ``xml.etree.ElementTree.iterparse`` rather than a spreadsheet library:
the 2023 workbook's ``content.xml`` is 40 MB, and streaming lets us skip the sheets we do
not need while keeping memory flat. Cells are returned as text:

- dates as ``YYYY-MM-DD`` (from ``office:date-value``; a time of day is dropped);
- numbers as written in ``office:value`` (``"3"``, ``"2.5"``);
- a cell holding a hyperlink (a ``HYPERLINK()`` formula or a ``text:a`` element) as the
  link's target, since the visible text ("Ofsted Local Authority Webpage") says nothing;
- everything else as its text, paragraphs joined by newlines.

Repeated rows and cells (``number-rows-repeated``, ``number-columns-repeated``) are
expanded, but trailing empty cells and rows are dropped, so a sheet padded to 16,384
columns reads as its real width.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from ..errors import InputError

__all__ = ["read_sheet", "read_sheets", "sheet_names"]

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_XLINK = "http://www.w3.org/1999/xlink"

T_TABLE = f"{{{_TABLE}}}table"
T_ROW = f"{{{_TABLE}}}table-row"
T_CELL = f"{{{_TABLE}}}table-cell"
T_COVERED = f"{{{_TABLE}}}covered-table-cell"
A_NAME = f"{{{_TABLE}}}name"
A_ROWS = f"{{{_TABLE}}}number-rows-repeated"
A_COLS = f"{{{_TABLE}}}number-columns-repeated"
A_FORMULA = f"{{{_TABLE}}}formula"
A_TYPE = f"{{{_OFFICE}}}value-type"
A_VALUE = f"{{{_OFFICE}}}value"
A_DATE = f"{{{_OFFICE}}}date-value"
A_BOOL = f"{{{_OFFICE}}}boolean-value"
T_P = f"{{{_TEXT}}}p"
T_S = f"{{{_TEXT}}}s"
T_TAB = f"{{{_TEXT}}}tab"
T_BR = f"{{{_TEXT}}}line-break"
T_A = f"{{{_TEXT}}}a"
A_C = f"{{{_TEXT}}}c"
A_HREF = f"{{{_XLINK}}}href"

_HYPERLINK = re.compile(r'HYPERLINK\(\s*"([^"]+)"', re.IGNORECASE)
# A repeat count this large is padding to the sheet's maximum size, never data.
_PADDING = 1000


def _open_content(path: Path):
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: not an OpenDocument spreadsheet ({exc})") from exc
    try:
        return archive, archive.open("content.xml")
    except KeyError:
        archive.close()
        raise InputError(f"{path}: not an OpenDocument spreadsheet (no content.xml)") from None


def sheet_names(path: str | Path) -> list[str]:
    """The names of the sheets of an .ods workbook, in order."""
    path = Path(path)
    archive, content = _open_content(path)
    names = []
    try:
        with archive, content:
            for _event, elem in iterparse(content, events=("start",)):
                if elem.tag == T_TABLE:
                    names.append(elem.get(A_NAME, ""))
    except ParseError as exc:
        raise InputError(f"{path}: malformed content.xml ({exc})") from exc
    return names


def _paragraph_text(p) -> str:
    parts = [p.text or ""]
    for child in p:
        if child.tag == T_S:
            parts.append(" " * int(child.get(A_C, "1")))
        elif child.tag == T_TAB:
            parts.append("\t")
        elif child.tag == T_BR:
            parts.append("\n")
        else:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_value(cell) -> str:
    kind = cell.get(A_TYPE)
    formula = cell.get(A_FORMULA) or ""
    link = _HYPERLINK.search(formula)
    if link:
        return link.group(1)
    for a in cell.iter(T_A):
        if a.get(A_HREF):
            return a.get(A_HREF)
    if kind == "date":
        return (cell.get(A_DATE) or "")[:10]
    if kind in ("float", "percentage", "currency") and cell.get(A_VALUE) is not None:
        value = cell.get(A_VALUE)
        return value[:-2] if value.endswith(".0") else value
    if kind == "boolean":
        return cell.get(A_BOOL) or ""
    return "\n".join(_paragraph_text(p) for p in cell if p.tag == T_P)


def read_sheets(path: str | Path, wanted=None) -> Iterator[tuple[str, list[list[str]]]]:
    """Yield ``(sheet name, rows)`` for every sheet (or those for which ``wanted(name)`` is
    true), reading the workbook once. Rows are lists of text, as :func:`read_sheet`."""
    path = Path(path)
    archive, content = _open_content(path)
    try:
        with archive, content:
            depth = 0
            name = ""
            keep = False
            rows: list[list[str]] = []
            pending_empty = 0
            for event, elem in iterparse(content, events=("start", "end")):
                tag = elem.tag
                if event == "start":
                    if tag == T_TABLE:
                        if depth == 0:
                            name = elem.get(A_NAME, "")
                            keep = wanted is None or wanted(name)
                            rows, pending_empty = [], 0
                        depth += 1
                    continue
                if tag == T_ROW and depth:
                    if keep:
                        cells: list[str] = []
                        for cell in elem:
                            if cell.tag not in (T_CELL, T_COVERED):
                                continue
                            repeat = int(cell.get(A_COLS, "1"))
                            value = _cell_value(cell)
                            if value == "" and repeat >= _PADDING:
                                continue
                            cells.extend([value] * repeat)
                        while cells and cells[-1] == "":
                            cells.pop()
                        repeat = int(elem.get(A_ROWS, "1"))
                        if not cells:
                            if repeat < _PADDING:
                                pending_empty += repeat
                        else:
                            rows.extend([] for _ in range(pending_empty))
                            pending_empty = 0
                            rows.extend(list(cells) for _ in range(repeat))
                    elem.clear()
                elif tag == T_TABLE:
                    depth -= 1
                    if depth == 0:
                        elem.clear()
                        if keep:
                            yield name, rows
                        rows = []
    except ParseError as exc:
        raise InputError(f"{path}: malformed content.xml ({exc})") from exc


def read_sheet(path: str | Path, name: str) -> list[list[str]]:
    """The rows of sheet ``name`` of the workbook at ``path``, as lists of text.

    Raises :class:`InputError` when the file is not a readable workbook or has no such
    sheet (the message lists the sheets it has).
    """
    for _name, rows in read_sheets(path, lambda n: n == name):
        return rows
    raise InputError(f"{path}: no sheet named {name!r} (sheets: {', '.join(sheet_names(path))})")
