"""Hostile text in every field that reaches an HTML page stays text."""

import pytest


@pytest.mark.slow
def test_no_payload_appears_raw_in_the_page(hostile_pages, xss_payloads):
    for path in hostile_pages:
        html = path.read_text()
        for payload in xss_payloads[:6]:
            assert payload not in html, f"raw payload in {path.name}: {payload}"
        assert "<script>alert" not in html and "<img src=x" not in html
