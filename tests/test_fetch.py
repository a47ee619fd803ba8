"""`inspectgraph fetch` against a local server on 127.0.0.1 that serves corpus PDFs in the
page structure of Ofsted's site (provider pages listing files by accessible link text)."""

import csv
import hashlib
import http.server
import json
import threading
import time
import urllib.request

import pytest

from inspectgraph.sources.fetch import (
    fetch,
    parse_provider_page,
    provider_url,
)
from inspectgraph.sources.registry import load_registry

REG = load_registry()

# file id -> (corpus pdf, title as the provider page gives it)
FILES = {
    "50168072": (
        "80566_sunderland_2021-08-20.pdf",
        "Children's services inspection, PDF - 20 August 2021",
    ),
    "50007818": (
        "80566_sunderland_2018-07-25.pdf",
        "Children's services inspection, PDF - 25 July 2018",
    ),
    "50166001": (
        "80566_sunderland_2021-05-11_focused-visit.pdf",
        "Focused visit, PDF - 11 May 2021",
    ),
    "50235001": (
        "80566_sunderland_2023-11-29_focused-visit.pdf",
        "Focused visit, PDF - 29 November 2023",
    ),
    "50171001": (
        "80469_gateshead_2021-10-27_focused-visit.pdf",
        "Focused visit, PDF - 27 October 2021",
    ),
    "2073411": (
        "80429_birmingham_2012-10-19_not-a-pdf.pdf",
        "Children's services inspection, PDF - 19 October 2012",
    ),
}
PAGES = {
    "/provider/44/394": ["50168072", "50235001", "50166001", "50007818"],
    "/provider/44/80469": ["50171001"],
    "/provider/44/80429": ["2073411"],
}


def provider_page(ids, titles=None):
    titles = {i: title for i, (_, title) in FILES.items()} | (titles or {})
    items = "\n".join(
        f'<li class="publication-list__item"><a class="publication-link" '
        f'href="/v1/file/{i}"><span class="nonvisual">{titles[i]}</span></a></li>'
        for i in ids
    )
    return f"""<!DOCTYPE html><html><head><title>Provider</title></head><body>
<h1>Children's services</h1><ul class="publication-list">
{items}
<li><a class="publication-link" href="/v1/file/999"><span class="nonvisual">Joint inspection of
youth offending services, PDF - 2 March 2020</span></a></li>
<li><a href="/private/v1/file/1"><span class="nonvisual">Children's services inspection, PDF -
1 January 2020</span></a></li>
</ul></body></html>"""


class Site:
    """The local server's state: what it was asked, and faults to inject."""

    def __init__(self, corpus):
        self.corpus = corpus
        self.log = []  # (time, path)
        self.fail_once = set()  # paths answered 500 once
        self.busy_once = set()  # paths answered 429 with Retry-After once
        self.joint = {}  # file id -> (PDF bytes, link text), listed on Sunderland's page


@pytest.fixture
def site(corpus):
    state = Site(corpus)

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, code, body, ctype="text/html; charset=utf-8", headers=()):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - the handler API
            state.log.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
            if self.path in state.busy_once:
                state.busy_once.discard(self.path)
                return self.send(429, b"slow down", headers=[("Retry-After", "1")])
            if self.path in state.fail_once:
                state.fail_once.discard(self.path)
                return self.send(500, b"oops")
            if self.path == "/robots.txt":
                return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            if self.path in PAGES:
                ids = PAGES[self.path] + (
                    list(state.joint) if self.path == "/provider/44/394" else []
                )
                titles = {i: title for i, (_, title) in state.joint.items()}
                return self.send(200, provider_page(ids, titles).encode())
            if self.path.startswith("/v1/file/"):
                file_id = self.path.rsplit("/", 1)[1]
                if file_id in state.joint:
                    return self.send(200, state.joint[file_id][0], "application/pdf")
                if file_id in FILES:
                    data = (state.corpus / "pdf" / FILES[file_id][0]).read_bytes()
                    ctype = "text/html" if not data.startswith(b"%PDF") else "application/pdf"
                    return self.send(200, data, ctype)
            return self.send(404, b"not found")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def manifest(folder):
    with (folder / "manifest.csv").open(encoding="utf-8") as fh:
        return {row["path"]: row for row in csv.DictReader(fh)}


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def authorities(*names):
    return [REG.find_la(n) for n in names]


def test_provider_pages_come_from_the_official_web_links():
    sunderland = REG.find_la("Sunderland")
    assert (
        provider_url(sunderland, "https://reports.ofsted.gov.uk")
        == "https://reports.ofsted.gov.uk/provider/44/394"
    )
    assert provider_url(sunderland, "http://127.0.0.1:9/") == "http://127.0.0.1:9/provider/44/394"


def test_provider_page_parsing():
    pubs = parse_provider_page(provider_page(PAGES["/provider/44/394"]), "http://x/provider/44/394")
    kinds = [(p.title, p.published.isoformat(), p.document_type) for p in pubs]
    assert kinds[:2] == [
        ("Children's services inspection", "2021-08-20", "inspection_report"),
        ("Focused visit", "2023-11-29", "focused_visit"),
    ]
    assert ("Joint inspection of youth offending services", "2020-03-02", None) in kinds
    assert pubs[0].url == "http://x/v1/file/50168072"


def test_fetch_downloads_checksums_and_writes_a_corpus_manifest(site, tmp_path):
    out = tmp_path / "letters"
    report = fetch(out, authorities("Sunderland", "Gateshead"), base_url=site.url, delay=0)
    assert sorted(report.downloaded) == [
        "focused-visits/80469_gateshead_2021-10-27.pdf",
        "focused-visits/80566_sunderland_2021-05-11.pdf",
        "focused-visits/80566_sunderland_2023-11-29.pdf",
        "inspections/80566_sunderland_2018-07-25.pdf",
        "inspections/80566_sunderland_2021-08-20.pdf",
    ]
    assert not report.failed
    assert any("Joint inspection of youth offending services" in s for s in report.skipped)
    rows = manifest(out)
    assert list(next(iter(rows.values())))[:7] == [
        "path",
        "urn",
        "local_authority",
        "document_type",
        "published",
        "source_url",
        "licence",
    ]
    row = rows["inspections/80566_sunderland_2021-08-20.pdf"]
    assert (row["urn"], row["document_type"], row["published"], row["licence"]) == (
        "80566",
        "inspection_report",
        "2021-08-20",
        "OGL-UK-3.0",
    )
    assert row["source_url"] == f"{site.url}/v1/file/50168072"
    original = site.corpus / "pdf" / "80566_sunderland_2021-08-20.pdf"
    assert row["sha256"] == sha(out / row["path"]) == sha(original)
    assert int(row["bytes"]) == original.stat().st_size
    # robots.txt was read and obeyed; every request says who we are
    paths = [p for _, p, _ in site.log]
    assert "/robots.txt" in paths and not any(p.startswith("/private/") for p in paths)
    assert all(ua.startswith("inspectgraph/") for _, _, ua in site.log)
    assert not list(out.rglob("*.part"))


def test_a_second_run_fetches_nothing_and_a_damaged_file_is_fetched_again(site, tmp_path):
    out = tmp_path / "letters"
    fetch(out, authorities("Sunderland"), base_url=site.url, delay=0)
    before = manifest(out)
    site.log.clear()
    again = fetch(out, authorities("Sunderland"), base_url=site.url, delay=0)
    assert not again.downloaded and len(again.kept) == 4
    assert [p for _, p, _ in site.log if p.startswith("/v1/file/")] == []
    damaged = out / "focused-visits/80566_sunderland_2021-05-11.pdf"
    damaged.write_bytes(b"%PDF-1.4 truncated")
    third = fetch(out, authorities("Sunderland"), base_url=site.url, delay=0)
    assert third.downloaded == ["focused-visits/80566_sunderland_2021-05-11.pdf"]
    assert sha(damaged) == before[third.downloaded[0]]["sha256"]


def test_an_interrupted_run_resumes_where_it_stopped(site, tmp_path):
    out = tmp_path / "letters"
    site.fail_once.add("/v1/file/50166001")
    first = fetch(out, authorities("Sunderland"), base_url=site.url, delay=0, retries=0)
    assert len(first.downloaded) == 3 and first.failed == [f"{site.url}/v1/file/50166001: HTTP 500"]
    assert "focused-visits/80566_sunderland_2021-05-11.pdf" not in manifest(out)
    second = fetch(out, authorities("Sunderland"), base_url=site.url, delay=0, retries=0)
    assert second.downloaded == ["focused-visits/80566_sunderland_2021-05-11.pdf"]
    assert len(second.kept) == 3 and len(manifest(out)) == 4


def test_a_page_that_is_not_a_pdf_is_reported_and_not_saved(site, tmp_path):
    out = tmp_path / "letters"
    report = fetch(out, authorities("Birmingham"), base_url=site.url, delay=0)
    assert not report.downloaded
    [line] = report.failed
    assert line.startswith(f"{site.url}/v1/file/2073411: not a PDF (text/html")
    assert not list(out.rglob("*.pdf"))


@pytest.mark.slow  # two seconds or more: the full suite only
def test_requests_are_spaced_and_429_is_retried_after_the_time_asked(site, tmp_path, monkeypatch):
    slept = []
    site.busy_once.add("/v1/file/50171001")
    # when the client sends each request: the server's clock would add its thread's
    # scheduling delay, which on a loaded machine made a gap look short
    sent, real_urlopen = [], urllib.request.urlopen
    monkeypatch.setattr(
        urllib.request,
        "urlopen",
        lambda *a, **k: (sent.append(time.monotonic()), real_urlopen(*a, **k))[1],
    )
    report = fetch(
        tmp_path / "l",
        authorities("Gateshead"),
        base_url=site.url,
        delay=0.3,
        sleep=lambda s: (slept.append(s), time.sleep(s)),
    )
    assert report.downloaded == ["focused-visits/80469_gateshead_2021-10-27.pdf"]
    assert 1.0 in slept  # Retry-After: 1
    assert len(sent) == len(site.log) > 2
    assert all(b - a >= 0.29 for a, b in zip(sent, sent[1:], strict=False))


def test_fetch_command(site, tmp_path, cli_run):
    out = tmp_path / "letters"
    result = cli_run(
        "fetch",
        "--la",
        "Sunderland",
        "--type",
        "focused_visit",
        "--out",
        out,
        "--base-url",
        site.url,
        "--delay",
        "0",
    )
    assert result.exit_code == 0, result.output
    assert "downloaded 2, already present 0 (checksums verified), failed 0" in result.output
    result = cli_run(
        "fetch", "--la", "Birmingham", "--out", out, "--base-url", site.url, "--delay", "0"
    )
    assert result.exit_code == 2
    assert "failed: " in result.output and "not a PDF" in result.output
    result = cli_run("fetch", "--la", "Atlantis", "--out", out, "--base-url", site.url)
    assert result.exit_code == 2
    assert result.output.strip() == "Error: unknown local authority 'Atlantis'"
    result = cli_run("fetch", "--out", out, "--base-url", site.url)
    assert result.exit_code == 2 and "--la NAME" in result.output


def test_unreachable_site_is_a_clear_failure(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    report = fetch(
        tmp_path / "l",
        authorities("Sunderland"),
        base_url=f"http://127.0.0.1:{port}",
        delay=0,
        retries=0,
    )
    [line] = report.failed
    assert line.startswith(f"http://127.0.0.1:{port}/provider/44/394: cannot connect")


# ---------------------------------------------------------------- joint inspections


def text_pdf(text: str) -> bytes:
    """A PDF of ``text``, 60 lines a page in Helvetica, whose text extracts as ``text``
    (the joint corpus holds the letters' texts, not their PDFs)."""
    lines = text.splitlines()
    pages = [lines[i : i + 60] for i in range(0, len(lines), 60)] or [[]]

    def shown(line):
        raw = bytes(c for c in line.encode("cp1252", "replace") if c >= 32)
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for page in pages:
        shows = b" ".join(b"(" + shown(line) + b") '" for line in page)
        stream = b"BT /F1 9 Tf 11 TL 40 800 Td " + shows + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.fixture
def joint_site(site, corpus_joint):
    """Sunderland's page also lists its joint targeted area inspection (2023) and an area
    SEND inspection (Gateshead's letter of 2023, served as Sunderland's)."""
    for file_id, rel, title in (
        ("50212001", "jtai/80566_sunderland_2023-03-16.txt", "Joint targeted area inspection"),
        ("50225001", "area-send/80469_gateshead_2023-07-24.txt", "Area SEND full inspection"),
    ):
        published = rel.rsplit("_", 1)[1][: -len(".txt")]
        day = f"{int(published[8:]):d} {MONTHS[int(published[5:7]) - 1]} {published[:4]}"
        pdf = text_pdf((corpus_joint / rel).read_text(encoding="utf-8"))
        site.joint[file_id] = (pdf, f"{title}, PDF - {day}")
    return site


MONTHS = "January February March April May June July August September October November December"
MONTHS = MONTHS.split()


def test_joint_inspections_are_classified_from_their_titles():
    from inspectgraph.sources.fetch import classify

    assert classify("Joint targeted area inspection") == "joint_targeted_area_inspection"
    assert classify("Area SEND full inspection") == "area_send_inspection"
    assert classify("Joint local area SEND inspection") == "area_send_inspection"
    assert classify("Local area SEND revisit") == "area_send_inspection"
    assert classify("Joint inspection of youth offending services") is None


@pytest.mark.slow  # two seconds or more: the full suite only
def test_fetch_joint_inspections_into_a_manifest_build_reads(joint_site, tmp_path, cli_run):
    out = tmp_path / "joint"
    types = ("joint_targeted_area_inspection", "area_send_inspection")
    report = fetch(out, authorities("Sunderland"), base_url=joint_site.url, delay=0, types=types)
    assert sorted(report.downloaded) == [
        "area-send/80566_sunderland_2023-07-24.pdf",
        "jtai/80566_sunderland_2023-03-16.pdf",
    ]
    assert not report.failed
    # the council's own reports and letters are other kinds, not asked for
    assert any("Focused visit" in line for line in report.skipped)
    rows = manifest(out)
    assert {(r["document_type"], r["local_authority"]) for r in rows.values()} == {
        ("joint_targeted_area_inspection", "sunderland"),
        ("area_send_inspection", "sunderland"),
    }
    store = tmp_path / "store"
    built = cli_run("build", "--corpus", out, "--store", store, "-q")
    assert built.exit_code == 0, built.output
    query = tmp_path / "types.rq"
    query.write_text(
        "SELECT ?id ?type WHERE { GRAPH ?g { ?report <http://purl.org/dc/terms/identifier> ?id ;"
        " <http://www.w3.org/ns/prov#wasGeneratedBy> ?inspection . ?inspection "
        "<https://w3id.org/inspectgraph/def/inspectionType> ?type } "
        'FILTER(!STRSTARTS(?id, "sha256:")) } ORDER BY ?id'
    )
    rows = cli_run("query", query, "--store", store, "--format", "json")
    assert rows.exit_code == 0, rows.output
    found = [
        (row["id"], row["type"].rsplit("/", 1)[1])
        for row in json.loads(rows.output)
        if row["id"].startswith(("jtai/", "area-send/"))  # not the bundled demo's
    ]
    assert found == [
        ("area-send/80566_sunderland_2023-07-24.pdf", "area_send"),
        ("jtai/80566_sunderland_2023-03-16.pdf", "jtai"),
    ]
