"""Download inspection reports and letters from Ofsted, politely, resumably, checksummed.

Ofsted publishes each local authority's children's services reports on a provider page,
``https://reports.ofsted.gov.uk/provider/44/<DfE code or URN>`` -- the pages that the
official outcome files' "Web link" column names (kept in the registry, ``las.csv``). A
provider page lists its publications as links to ``https://files.ofsted.gov.uk/v1/file/<id>``
whose accessible text gives the title and the publication date ("Children's services
inspection, PDF - 20 August 2021"; "Focused visit, PDF - 11 May 2021"; "Joint targeted area
inspection, PDF - 16 March 2023"; "Area SEND full inspection, PDF - 24 July 2023").

:func:`fetch` reads the chosen authorities' pages, picks the reports and letters, and saves
each as ``<folder>/<urn>_<authority>_<published>.pdf`` -- ``inspections/``, ``focused-visits/``,
``monitoring-visits/``, and for the joint inspections ``jtai/`` (joint targeted area
inspections) and ``area-send/`` (area SEND inspections), as in the joint corpus -- recording
it in ``manifest.csv`` with the columns of the shared corpus's manifest (``path``, ``urn``, ``local_authority``, ``document_type``, ``published``,
``source_url``, ``licence``) plus ``sha256``, ``bytes`` and ``fetched``. It is

- *polite*: one request at a time, at least ``delay`` seconds apart, a descriptive
  User-Agent, ``robots.txt`` obeyed, ``Retry-After`` honoured on 429 and 503, a time limit;
- *resumable*: a document already in the manifest whose file still has its recorded
  SHA-256 is not fetched again; files are written under a temporary name and renamed, and
  the manifest is rewritten (atomically) after each document, so an interrupted run loses
  at most the document in flight;
- *checksummed*: every file's SHA-256 and size are recorded and checked on resume; a
  response that is not a PDF (Ofsted's archive holds HTML error pages saved as ``.pdf``)
  is reported and not saved.

Every address is taken relative to ``base_url``, so the tests run it against a local
server on 127.0.0.1 that serves the same page structure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError, InspectgraphError
from ..version import __version__
from .manifest import MANIFEST, manifest_rows, write_manifest
from .registry import Registry, load_registry
from .registry_model import LocalAuthority
from .retrying import RETRY_STATUS, retry_after

__all__ = [
    "DOCUMENT_TYPES",
    "FetchError",
    "FetchReport",
    "Publication",
    "fetch",
    "parse_provider_page",
]

OFSTED = "https://reports.ofsted.gov.uk"
USER_AGENT = (
    f"inspectgraph/{__version__} (research use; downloads Ofsted children's services "
    "reports at most one request every few seconds)"
)
LICENCE = "OGL-UK-3.0"
# document type -> folder, as in the shared corpora (``corpus`` and ``corpus-joint``)
DOCUMENT_TYPES = {
    "inspection_report": "inspections",
    "focused_visit": "focused-visits",
    "monitoring_visit": "monitoring-visits",
    "joint_targeted_area_inspection": "jtai",
    "area_send_inspection": "area-send",
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")


class FetchError(InspectgraphError):
    """The site cannot be reached or answers with an error for a page we need."""


@dataclass(frozen=True)
class Publication:
    """One report or letter listed on a provider page."""

    title: str
    url: str
    published: dt.date | None
    document_type: str | None  # a DOCUMENT_TYPES key, or None for other publications


@dataclass
class FetchReport:
    """What a run did."""

    downloaded: list[str] = field(default_factory=list)  # paths
    kept: list[str] = field(default_factory=list)  # already in the manifest, checksum good
    failed: list[str] = field(default_factory=list)  # one line each
    skipped: list[str] = field(default_factory=list)  # publications of other kinds
    requests: int = 0
    authorities: int = 0


def classify(title: str) -> str | None:
    """The document type of a publication, from its title.

    >>> classify("Children's services inspection")
    'inspection_report'
    >>> classify("Focused visit")
    'focused_visit'
    >>> classify("Monitoring visit to Sunderland")
    'monitoring_visit'
    >>> classify("Joint targeted area inspection")
    'joint_targeted_area_inspection'
    >>> classify("Area SEND full inspection")
    'area_send_inspection'
    >>> classify("Joint inspection of youth offending services") is None
    True
    """
    t = title.lower().replace("’", "'")
    words = re.findall(r"[a-z']+", t)
    if "joint targeted area inspection" in t or "jtai" in words:
        return "joint_targeted_area_inspection"
    if "send" in words and ("inspection" in words or "revisit" in words):
        # "Area SEND inspection" (2023 on), "(Joint) local area SEND inspection", revisits
        return "area_send_inspection"
    if "joint" in words or "send" in words:
        return None  # other joint inspections (youth offending, …) are not read here
    if "focused visit" in t:
        return "focused_visit"
    if "monitoring visit" in t:
        return "monitoring_visit"
    if (
        "children's services" in t
        or "children's social care" in t
        or "looked after" in t
        or "safeguarding" in t
    ) and "inspection" in t:
        return "inspection_report"
    return None


def _parse_date(text: str) -> dt.date | None:
    for day, month, year in _DATE.findall(text):
        m = _MONTHS.get(month.lower())
        if m:
            try:
                return dt.date(int(year), m, int(day))
            except ValueError:
                continue
    return None


class _PageParser(HTMLParser):
    """Collects the publication links of a provider page: ``<a>`` elements whose target is
    a file (``/v1/file/<id>``) or whose class is ``publication-link``, with their text
    (an accessible ``nonvisual`` span preferred) and the nearest ``<time datetime>``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self._current: dict | None = None
        self._nonvisual_depth = 0
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            href = a.get("href") or ""
            if "/v1/file/" in href or "publication-link" in (a.get("class") or "").split():
                self._current = {"href": href, "text": [], "nonvisual": [], "time": None}
                self._depth = 0
            return
        if self._current is not None:
            self._depth += 1
            if "nonvisual" in (a.get("class") or "").split():
                self._nonvisual_depth = self._depth
            if tag == "time" and a.get("datetime"):
                self._current["time"] = a["datetime"]

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if tag == "a":
            self.links.append(self._current)
            self._current = None
            self._nonvisual_depth = 0
            return
        if self._nonvisual_depth and self._depth == self._nonvisual_depth:
            self._nonvisual_depth = 0
        self._depth -= 1

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"].append(data)
            if self._nonvisual_depth:
                self._current["nonvisual"].append(data)


def parse_provider_page(page: str, page_url: str) -> list[Publication]:
    """The publications a provider page lists, in page order.

    >>> page = ('<ul><li><a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/5">'
    ...         '<span class="nonvisual">Focused visit, PDF - 11 May 2021</span></a></li></ul>')
    >>> [(p.title, p.published.isoformat(), p.document_type)
    ...  for p in parse_provider_page(page, "https://reports.ofsted.gov.uk/provider/44/394")]
    [('Focused visit', '2021-05-11', 'focused_visit')]
    """
    parser = _PageParser()
    parser.feed(page)
    out = []
    seen = set()
    for link in parser.links:
        url = urllib.parse.urljoin(page_url, html.unescape(link["href"]))
        if url in seen:
            continue
        seen.add(url)
        text = " ".join("".join(link["nonvisual"] or link["text"]).split())
        published = None
        if link["time"]:
            try:
                published = dt.date.fromisoformat(link["time"][:10])
            except ValueError:
                published = None
        published = published or _parse_date(text)
        title = re.split(r",\s*pdf\b|\s+-\s+\d{1,2}\s+[A-Za-z]+\s+\d{4}", text, flags=re.I)[0]
        title = title.strip(" ,-") or text
        out.append(
            Publication(title=title, url=url, published=published, document_type=classify(title))
        )
    return out


# ---------------------------------------------------------------------- the client


class _Client:
    """Sequential HTTP GETs at least ``delay`` seconds apart, with retries on 429/503 and
    network errors (honouring Retry-After), and robots.txt obeyed."""

    def __init__(
        self,
        base_url: str,
        *,
        delay: float,
        retries: int,
        timeout: float,
        sleep: Callable[[float], None] = time.sleep,
        say=None,
    ):
        self.base_url = base_url.rstrip("/")
        self.delay = delay
        self.retries = retries
        self.timeout = timeout
        self.sleep = sleep
        self.say = say or (lambda _m: None)
        self.requests = 0
        self._last = 0.0
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def _wait(self) -> None:
        gap = time.monotonic() - self._last
        if self._last and gap < self.delay:
            self.sleep(self.delay - gap)

    def allowed(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            robots = urllib.robotparser.RobotFileParser()
            try:
                status, body, _ = self._get(origin + "/robots.txt", check_robots=False)
                robots.parse(body.decode("utf-8", "replace").splitlines() if status == 200 else [])
            except FetchError:
                robots.parse([])
            self._robots[origin] = robots
        robots = self._robots[origin]
        return robots is None or robots.can_fetch(USER_AGENT, url)

    def get(self, url: str) -> tuple[bytes, dict]:
        status, body, headers = self._get(url)
        if status != 200:
            raise FetchError(f"{url}: HTTP {status}")
        return body, headers

    def _get(self, url: str, *, check_robots: bool = True) -> tuple[int, bytes, dict]:
        if check_robots and not self.allowed(url):
            raise FetchError(f"{url}: disallowed by robots.txt")
        attempt = 0
        while True:
            self._wait()
            self._last = time.monotonic()
            self.requests += 1
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    body = response.read()
                    headers = {k.lower(): v for k, v in response.headers.items()}
                    length = headers.get("content-length")
                    if length and length.isdigit() and int(length) != len(body):
                        raise FetchError(f"{url}: truncated ({len(body)} of {length} bytes)")
                    return response.status, body, headers
            except urllib.error.HTTPError as exc:
                if exc.code in RETRY_STATUS and attempt < self.retries:
                    attempt += 1
                    asked = retry_after(exc.headers.get("Retry-After"))
                    wait = min(asked, 300.0) if asked is not None else self.delay * 2**attempt
                    self.say(f"{url}: HTTP {exc.code}, retrying in {wait:.0f} s")
                    self.sleep(wait)
                    continue
                return exc.code, b"", {}
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt < self.retries:
                    attempt += 1
                    self.sleep(self.delay * 2**attempt)
                    continue
                reason = getattr(exc, "reason", exc)
                raise FetchError(f"{url}: cannot connect ({reason})") from exc


# ---------------------------------------------------------------------- the manifest


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _file_name(authority: LocalAuthority, publication: Publication) -> str:
    code = authority.ofsted_urn or authority.dfe_code
    return f"{code}_{authority.key}_{publication.published.isoformat()}.pdf"


# ---------------------------------------------------------------------- fetching


def provider_url(authority: LocalAuthority, base_url: str) -> str:
    """The authority's provider page under ``base_url``: the official files' web link
    (path kept, host replaced), else ``/provider/44/<URN>``."""
    path = urllib.parse.urlsplit(authority.web_link).path if authority.web_link else ""
    if not path:
        if not authority.ofsted_urn:
            raise InputError(f"{authority.name}: no Ofsted provider page or URN is known")
        path = f"/provider/44/{authority.ofsted_urn}"
    return base_url.rstrip("/") + path


def choose_authorities(
    names: Iterable[str], *, all_current: bool, registry: Registry | None = None
) -> list[LocalAuthority]:
    registry = registry or load_registry()
    if all_current:
        return sorted((la for la in registry.las.values() if la.current), key=lambda la: la.key)
    chosen = []
    for name in names:
        la = registry.find_la(name) or registry.las.get(name)
        if la is None:
            raise InputError(f"unknown local authority {name!r}")
        if la not in chosen:
            chosen.append(la)
    if not chosen:
        raise InputError("choose local authorities (--la NAME, repeatable) or --all")
    return chosen


def fetch(
    out: str | Path,
    authorities: Iterable[LocalAuthority],
    *,
    base_url: str = OFSTED,
    types: Iterable[str] = tuple(DOCUMENT_TYPES),
    since: dt.date | None = None,
    delay: float = 5.0,
    retries: int = 3,
    timeout: float = 60.0,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchReport:
    """Download the chosen authorities' reports and letters into ``out`` (see the module)."""
    say = progress or (lambda _m: None)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    types = set(types)
    unknown = types - set(DOCUMENT_TYPES)
    if unknown:
        raise InputError(
            f"unknown document type {sorted(unknown)[0]!r} (known: {', '.join(DOCUMENT_TYPES)})"
        )
    client = _Client(base_url, delay=delay, retries=retries, timeout=timeout, sleep=sleep, say=say)
    rows = manifest_rows(folder) if (folder / MANIFEST).exists() else []
    manifest = {row["path"]: row for row in rows}
    by_url = {row.get("source_url"): row for row in manifest.values() if row.get("source_url")}
    report = FetchReport()
    for authority in authorities:
        report.authorities += 1
        page_url = provider_url(authority, base_url)
        say(f"{authority.name}: {page_url}")
        try:
            body, _ = client.get(page_url)
        except FetchError as exc:
            report.failed.append(str(exc))
            continue
        for pub in parse_provider_page(body.decode("utf-8", "replace"), page_url):
            if pub.document_type not in types:
                report.skipped.append(f"{authority.name}: {pub.title} ({pub.url})")
                continue
            if pub.published is None:
                report.failed.append(f"{pub.url}: no publication date on {page_url}")
                continue
            if since and pub.published < since:
                continue
            rel = f"{DOCUMENT_TYPES[pub.document_type]}/{_file_name(authority, pub)}"
            path = folder / rel
            known = manifest.get(rel) or by_url.get(pub.url)
            if (
                known
                and (folder / known["path"]).exists()
                and sha256_of(folder / known["path"]) == known.get("sha256")
            ):
                report.kept.append(known["path"])
                continue
            if not client.allowed(pub.url):
                report.skipped.append(f"{pub.url}: disallowed by robots.txt")
                continue
            if dry_run:
                report.downloaded.append(rel)
                continue
            try:
                data, headers = client.get(pub.url)
            except FetchError as exc:
                report.failed.append(str(exc))
                continue
            if not data.startswith(b"%PDF"):
                kind = headers.get("content-type", "unknown type")
                report.failed.append(f"{pub.url}: not a PDF ({kind}, {len(data)} bytes); not saved")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(".pdf.part")
            part.write_bytes(data)
            os.replace(part, path)
            digest = hashlib.sha256(data).hexdigest()
            if known:
                manifest.pop(known["path"], None)
            manifest[rel] = {
                "path": rel,
                "urn": authority.ofsted_urn,
                "local_authority": authority.name.lower(),
                "document_type": pub.document_type,
                "published": pub.published.isoformat(),
                "source_url": pub.url,
                "licence": LICENCE,
                "sha256": digest,
                "bytes": str(len(data)),
                "fetched": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            }
            by_url[pub.url] = manifest[rel]
            write_manifest(folder, manifest.values())
            report.downloaded.append(rel)
            say(f"  {rel} ({len(data)} bytes)")
    report.requests = client.requests
    if not dry_run and manifest:
        write_manifest(folder, manifest.values())
    return report
