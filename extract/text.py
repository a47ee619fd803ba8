"""Reading documents: plain text, PDF and HTML to one NFC-normalised, hashed rendition.

The *rendition* is the text every offset refers to. It is made once per document:

* plain text is decoded (UTF-8, with or without a byte-order mark; UTF-16 with a byte-order
  mark or recognisably without one; otherwise Windows-1252, which every Ofsted text saved on
  Windows is), PDF text is read page by page with PDFium (:mod:`pypdfium2`, chosen by
  measurement: see ``docs/extraction.md``) and pages are joined with a newline, HTML is
  reduced to the text of its block elements, one per line;
* line ends become ``\\n``, PDFium's end-of-line hyphen marker (U+FFFE) becomes ``-``;
* the result is NFC-normalised (``unicodedata.normalize("NFC", ...)``), and
  :attr:`Rendition.sha256` is the SHA-256 of its UTF-8 encoding.

Nothing else is changed: page numbers, the letterhead and line breaks stay, so the
rendition of a PDF reads like the PDF, and offsets into it are stable for a given source.

Broken input raises :class:`~inspectgraph.errors.InputError` with one line naming the
file and the problem (empty, binary, an HTML page saved as ``.pdf``, an encrypted or
damaged PDF, a PDF without a text layer).

>>> doc = document_from_text("Cafe\\u0301 society\\r\\n", name="note.txt")
>>> doc.text
'Café society\\n'
>>> doc.sha256[:12], doc.format
('faad067bd0c2', 'txt')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError

__all__ = ["Rendition", "document_from_text", "normalise", "read_document"]

PDF_SUFFIXES = {".pdf"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


@dataclass(frozen=True)
class Rendition:
    """A document's text rendition and where it came from.

    Attributes
    ----------
    text : str
        The NFC-normalised rendition; every offset of the extraction indexes it.
    sha256 : str
        Hex SHA-256 of ``text`` encoded as UTF-8.
    format : str
        ``"txt"``, ``"pdf"`` or ``"html"``.
    path : pathlib.Path or None
        The file read, if any.
    encoding : str
        How the bytes were decoded (``"utf-8"``, ``"utf-16"``, ``"cp1252"``, ``"pdf"``).
    pages : tuple of int
        Offsets in ``text`` where each PDF page starts (empty for other formats).
    """

    text: str
    sha256: str
    format: str
    path: Path | None = None
    encoding: str = "utf-8"
    pages: tuple[int, ...] = field(default=())

    @property
    def name(self) -> str:
        """The file name, or ``"<text>"`` for a document made from a string."""
        return self.path.name if self.path else "<text>"

    def page_of(self, offset: int) -> int | None:
        """1-based page number holding ``offset`` (PDF only, else None).

        >>> Rendition("ab\\ncd", "x", "pdf", pages=(0, 3)).page_of(4)
        2
        """
        if not self.pages:
            return None
        import bisect

        return bisect.bisect_right(self.pages, offset)


def normalise(text: str) -> str:
    """The rendition of decoded text: ``\\n`` line ends, no BOM, NFC.

    >>> normalise("\\ufeffa\\r\\nb\\rc\\ufffe")
    'a\\nb\\nc-'
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")
    return unicodedata.normalize("NFC", text)


def _make(text: str, fmt: str, path: Path | None, encoding: str, pages=()) -> Rendition:
    text = normalise(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Rendition(text, digest, fmt, path, encoding, tuple(pages))


def document_from_text(text: str, *, name: str | None = None, fmt: str = "txt") -> Rendition:
    """A :class:`Rendition` from text already in memory (normalised like a file's)."""
    return _make(text, fmt, Path(name) if name else None, "utf-8")


def read_document(path) -> Rendition:
    """Read a plain-text, PDF or HTML file into a :class:`Rendition`.

    The format is recognised from the content (a PDF starts with ``%PDF-``, an HTML page
    with a tag) and checked against the suffix: an HTML error page saved as ``.pdf`` is
    an error, not a document.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    Rendition

    Raises
    ------
    inspectgraph.errors.InputError
        One line naming the file and the problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "letter.txt"
    >>> _ = p.write_bytes("Dear Ms Smith\\r\\n".encode("utf-16"))
    >>> d = read_document(p)
    >>> d.text, d.encoding
    ('Dear Ms Smith\\n', 'utf-16')
    >>> _ = p.write_bytes(b"")
    >>> read_document(p)
    Traceback (most recent call last):
    ...
    inspectgraph.errors.InputError: letter.txt: empty file
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a document") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    label = path.name
    if not data.strip():
        raise InputError(f"{label}: empty file")
    suffix = path.suffix.lower()
    head = data[:1024].lstrip()
    if data[:1024].find(b"%PDF-") != -1:
        return _read_pdf(data, path)
    if suffix in PDF_SUFFIXES:
        if _looks_like_html(head):
            raise InputError(f"{label}: is an HTML page saved as .pdf, not a PDF")
        raise InputError(f"{label}: not a PDF (no %PDF- header)")
    text, encoding = _decode(data, label)
    if suffix in HTML_SUFFIXES or _looks_like_html(text[:1024].lstrip().encode("utf-8")):
        body = html_to_text(text)
        if not body.strip():
            raise InputError(f"{label}: HTML page without text")
        return _make(body, "html", path, encoding)
    return _make(text, "txt", path, encoding)


# ---------------------------------------------------------------------------- plain text


def _decode(data: bytes, label: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{label}: damaged UTF-16 text") from None
    sample = data[:4096]
    if sample.count(b"\x00"):
        # UTF-16 without a byte-order mark: NULs in every other byte of ASCII text
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            return _try(data, "utf-16-le", label), "utf-16"
        if even > len(sample) // 4 and odd == 0:
            return _try(data, "utf-16-be", label), "utf-16"
        raise InputError(f"{label}: binary file, not text, PDF or HTML")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:4096]) // 50):
        raise InputError(f"{label}: binary file, not text, PDF or HTML")
    return text, encoding


def _try(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise InputError(f"{label}: damaged UTF-16 text") from None


def _looks_like_html(head: bytes) -> bool:
    return bool(re.match(rb"(?i)(<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)", head))


# ---------------------------------------------------------------------------- PDF


def _read_pdf(data: bytes, path: Path) -> Rendition:
    import pypdfium2 as pdfium

    label = path.name
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise InputError(f"{label}: encrypted PDF (needs a password)") from None
        raise InputError(f"{label}: damaged or truncated PDF ({_pdfium_reason(message)})") from None
    parts, starts, offset = [], [], 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = normalise(textpage.get_text_range())
            textpage.close()
            page.close()
            starts.append(offset)
            parts.append(text)
            offset += len(text) + 1
    except pdfium.PdfiumError as exc:
        raise InputError(f"{label}: damaged PDF page ({_pdfium_reason(str(exc))})") from None
    finally:
        pdf.close()
    text = "\n".join(parts)
    if not starts:
        raise InputError(f"{label}: PDF without pages")
    if not text.strip():
        raise InputError(f"{label}: PDF without a text layer (scanned?); run OCR first")
    return _make(text, "pdf", path, "pdf", starts)


def _pdfium_reason(message: str) -> str:
    match = re.search(r"\(PDFium: ([^)]*)\)", message)
    return (match.group(1) if match else message).rstrip(".").lower()


# ---------------------------------------------------------------------------- HTML

_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("\u25fc ")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page, one block element per line.

    >>> html_to_text("<html><body><h1>Findings</h1><ul><li>Good <b>work</b></li></ul>")
    'Findings\\n\\u25fc Good work\\n'
    """
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    out = "\n".join(line for line in lines if line)
    return out + "\n" if out else ""
