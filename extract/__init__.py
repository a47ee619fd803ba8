"""Reading inspection letters and reports, and extracting their findings with provenance.

The library API, for ``build`` and for researchers:

``read_document(path) -> Rendition``
    Read a plain-text, PDF or HTML file. ``Rendition.text`` is the NFC-normalised rendition
    every offset refers to, ``.sha256`` its hash, ``.format`` (``txt``/``pdf``/``html``),
    ``.pages`` the offsets where PDF pages start. Broken input (empty, binary, HTML saved
    as ``.pdf``, encrypted or truncated PDF, a PDF without text) raises
    :class:`inspectgraph.errors.InputError` with one line naming the file.

``extract(path_or_document, *, la=None, manifest_row=None, lexicon=None) -> Extraction``
    ``.document`` (:class:`DocumentInfo`): ``la``, ``urn``, ``published`` (a date), ``type``
    (inspection-types key), ``visit_theme`` (visit-themes key), ``start``/``end``
    (fieldwork), ``inspectors``, ``layout``, ``title`` and ``source`` (where each field came
    from: manifest, argument, text, file name). ``.findings``: one :class:`ExtractedFinding` per
    sentence of inspectors' findings, with ``text``, ``start``, ``end`` (so
    ``extraction.rendition.text[start:end] == text``), ``section``, ``heading``,
    ``polarity`` (polarity key), ``themes`` and ``agencies`` (theme and agency-type keys),
    ``cues`` (``{"polarity:weakness": "not always", "agency:police": "police", …}``),
    ``prefix``/``suffix`` (32 characters each, for a TextQuoteSelector) and ``clean`` (the
    sentence with line breaks and page furniture joined, for display). ``.judgements``:
    :class:`Judgement` (``area``, ``grade`` keys) as the report states them.
    ``.records()`` gives the JSON objects ``inspectgraph extract`` prints.

``read_manifest(path) -> {relative path: row}``
    The rows of a corpus ``manifest.csv``; pass a row as ``manifest_row``.

``to_graph(extraction) -> rdflib.Graph``
    The RDF of one extraction in the project's ontology (agencies as the local authority's
    generic organisation of each type: resolve them with an agency registry).

``label(text, *, section=None, visit_theme=None) -> Labels``; ``Lexicon``
    Label one sentence; a ``Lexicon.from_files("my-schemes.ttl")`` relabels with an edited
    cue lexicon.

Example
-------
>>> from inspectgraph.extract import document_from_text, extract
>>> letter = document_from_text(
...     "Ofsted\\nPiccadilly Gate\\n\\n1 May 2019\\n\\nDear Ms Smith\\n\\nFocused visit to "
...     "Anytown children's services\\n\\nInspectors looked at the local authority's "
...     "arrangements for the 'front door'.\\n\\nFindings\\n\\n\\u25fc The police do not "
...     "always share\\ninformation with the MASH quickly enough.\\n\\nYours sincerely\\n")
>>> x = extract(letter)
>>> x.document.la, x.document.type, x.document.visit_theme, str(x.document.published)
('Anytown', 'focused_visit', 'front_door', '2019-05-01')
>>> f = x.findings[0]
>>> f.polarity, f.themes, f.agencies, f.cues["agency:police"]
('weakness', ['front_door', 'information_sharing'], ['multi_agency', 'police'], 'police')
>>> x.rendition.text[f.start:f.end] == f.text
True
"""

from .core import DocumentInfo, ExtractedFinding, Extraction, Judgement, extract, read_manifest
from .labels import Labels, label
from .lexicon import Lexicon
from .serialize import records, to_graph
from .text import Rendition, document_from_text, read_document

__all__ = [
    "DocumentInfo",
    "ExtractedFinding",
    "Extraction",
    "Judgement",
    "Labels",
    "Lexicon",
    "Rendition",
    "document_from_text",
    "extract",
    "label",
    "read_document",
    "read_manifest",
    "records",
    "to_graph",
]
