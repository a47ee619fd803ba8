"""Reading documents: formats, encodings, the rendition's hash, and broken input."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata

import pytest

from inspectgraph.errors import InputError
from inspectgraph.extract import read_document


def test_plain_text_is_nfc_normalised_and_hashed(tmp_path):
    p = tmp_path / "letter.txt"
    p.write_text("Cafe\u0301 and cre\u0300che\r\nsecond line\r\n", encoding="utf-8")
    doc = read_document(p)
    assert doc.text == "Café and crèche\nsecond line\n"
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    assert (doc.format, doc.encoding) == ("txt", "utf-8")


@pytest.mark.parametrize(
    "codec,label",
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16"), ("utf-8-sig", "utf-8"), ("cp1252", "cp1252")],
)
def test_other_encodings_are_decoded(tmp_path, codec, label):
    p = tmp_path / "letter.txt"
    p.write_bytes("Children’s services – “good” £5\n".encode(codec))
    doc = read_document(p)
    assert doc.text == "Children’s services – “good” £5\n"
    assert doc.encoding == label


def test_html_is_reduced_to_its_text(tmp_path):
    p = tmp_path / "report.html"
    p.write_text(
        "<!DOCTYPE html><html><head><title>x</title><script>var a;</script></head>"
        "<body><h2>Findings</h2><p>Social workers know children &amp; families "
        "well.</p><ul><li>One</li></ul></body></html>",
        encoding="utf-8",
    )
    doc = read_document(p)
    assert doc.format == "html"
    assert doc.text == "Findings\nSocial workers know children & families well.\n\u25fc One\n"


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (bytes(range(256)) * 20, "binary file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 400, "binary file"),
    ],
)
def test_unreadable_text_is_one_clear_error(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_document(p)
    assert str(err.value).startswith("bad.txt: ") and message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_document(tmp_path / "nope.pdf")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_html_saved_as_pdf_is_refused(corpus):
    path = corpus / "pdf" / "80429_birmingham_2012-10-19_not-a-pdf.pdf"
    with pytest.raises(InputError) as err:
        read_document(path)
    assert str(err.value) == (
        "80429_birmingham_2012-10-19_not-a-pdf.pdf: is an HTML page saved as .pdf, not a PDF"
    )


def test_truncated_pdf_is_refused(corpus, tmp_path):
    data = (corpus / "pdf" / "80566_sunderland_2021-05-11_focused-visit.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"^cut\.pdf: damaged or truncated PDF"):
        read_document(p)


def test_encrypted_pdf_is_refused(corpus, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(corpus / "pdf" / "80566_sunderland_2021-05-11_focused-visit.pdf")
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    p = tmp_path / "locked.pdf"
    with p.open("wb") as f:
        writer.write(f)
    with pytest.raises(InputError, match=r"^locked\.pdf: encrypted PDF"):
        read_document(p)


def test_pdf_without_text_layer_is_refused(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    p = tmp_path / "scan.pdf"
    pdf.save(p)
    pdf.close()
    with pytest.raises(InputError, match=r"^scan\.pdf: PDF without a text layer"):
        read_document(p)


def _words(text):
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize(
    "name,text",
    [
        (
            "80566_sunderland_2021-05-11_focused-visit.pdf",
            "focused-visits/80566_sunderland_2021-05-11.txt",
        ),
        ("80566_sunderland_2018-07-25.pdf", "inspections/80566_sunderland_2018-07-25.txt"),
    ],
)
def test_pdf_text_matches_the_corpus_rendition(corpus, name, text):
    """PDFium's words are the corpus's (pypdf-made) words: the fidelity measured in
    docs/extraction.md."""
    doc = read_document(corpus / "pdf" / name)
    reference = read_document(corpus / text)
    assert doc.format == "pdf" and len(doc.pages) > 1
    assert doc.text[doc.pages[1] - 1] == "\n"
    ratio = difflib.SequenceMatcher(
        None, _words(reference.text), _words(doc.text), autojunk=False
    ).ratio()
    assert ratio > 0.999
    assert doc.text.count("\u25fc") == reference.text.count("\u25fc")
