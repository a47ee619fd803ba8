"""Measure PDF text libraries on the corpus PDFs: speed, and fidelity to the corpus texts.

``python -m tools.pdfbench [CORPUS]`` reads every PDF of ``CORPUS/pdf`` that
has a text in the corpus (the corpus texts were made with pypdf's ``extract_text()``) with
each library that is installed (pypdf, pypdfium2, pdfminer.six, PyMuPDF), best of three
runs, and prints milliseconds per page and the similarity of the word sequence to the
corpus text (difflib ratio over words, NFKC). Install the candidates to compare them:
``pip install pypdf pdfminer.six``. The figures are in ``docs/extraction.md``.
"""

from __future__ import annotations

import difflib
import os
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

__all__ = ["LIBRARIES", "measure", "words"]


def words(text: str) -> list[str]:
    """Words and punctuation marks of a text, NFKC-normalised.

    >>> words("Well-\\nknown ﬁndings.")
    ['Well', '-', 'known', 'findings', '.']
    """
    return re.findall(r"\w+|[^\w\s]", unicodedata.normalize("NFKC", text))


def _pypdf(path):
    import pypdf

    reader = pypdf.PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def _pypdfium2(path):
    from inspectgraph.extract.text import read_document

    doc = read_document(path)
    return doc.text, len(doc.pages)


def _pdfminer(path):
    from pdfminer.high_level import extract_text

    text = extract_text(str(path))
    return text, text.count("\f") + 1


def _pymupdf(path):
    import pymupdf

    doc = pymupdf.open(path)
    return "\n".join(page.get_text() for page in doc), len(doc)


LIBRARIES = {
    "pypdf": _pypdf,
    "pypdfium2": _pypdfium2,
    "pdfminer.six": _pdfminer,
    "pymupdf": _pymupdf,
}


def _pairs(corpus: Path):
    for pdf in sorted((corpus / "pdf").glob("*.pdf")):
        parts = pdf.stem.split("_")
        if len(parts) < 3:
            continue
        folder = "focused-visits" if "focused-visit" in pdf.stem else "inspections"
        text = corpus / folder / f"{parts[0]}_{parts[1]}_{parts[2]}.txt"
        if text.exists():
            yield pdf, text


def measure(corpus: Path) -> dict[str, dict]:
    """{library: {"pages", "seconds", "ms_per_page", "similarity", "min_similarity"}}."""
    out = {}
    pairs = list(_pairs(corpus))
    for name, read in LIBRARIES.items():
        try:
            read(pairs[0][0])
        except Exception:  # noqa: BLE001 - a library that is not installed or fails
            continue
        seconds = pages = 0
        ratios = []
        for pdf, txt in pairs:
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                text, n = read(pdf)
                best = min(best, time.perf_counter() - t0)
            seconds += best
            pages += n
            reference = txt.read_text(encoding="utf-8")
            ratios.append(
                difflib.SequenceMatcher(None, words(reference), words(text), autojunk=False).ratio()
            )
        out[name] = {
            "pages": pages,
            "seconds": seconds,
            "ms_per_page": 1000 * seconds / pages,
            "similarity": statistics.mean(ratios),
            "min_similarity": min(ratios),
        }
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    default = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    corpus = Path(argv[0]) if argv else Path(os.environ.get("INSPECTGRAPH_CORPUS", default))
    print("library        pages  seconds  ms/page  word similarity (mean, min)")
    for name, m in measure(corpus).items():
        print(
            f"{name:<14} {m['pages']:>5}  {m['seconds']:>7.2f}  {m['ms_per_page']:>7.1f}  "
            f"{m['similarity']:.4f}, {m['min_similarity']:.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
