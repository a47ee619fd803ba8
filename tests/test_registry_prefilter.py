"""The registry's substring test before each agency's name pattern (sources/registry.py,
`_named_maybe`) leaves out only agencies whose pattern cannot match: `mentions` and
`named_in` give what running every pattern gives, on each authority's names (cut short,
recased, glued to words) and on letters that match an ASCII letter only when case is
ignored (long s, dotless i, Kelvin sign)."""

from __future__ import annotations

import re

from inspectgraph.sources.registry import load_registry

REG = load_registry()


def _every_pattern(la: str, text: str) -> list:
    found = [
        (m.start(), m.end(), agency.id)
        for agency, pattern in REG._name_patterns(la)
        for m in pattern.finditer(text)
    ]
    return sorted(found)


def _texts(names):
    for name in names:
        for form in (name, name.upper(), name.lower(), name.title(), name[:-1]):
            yield form
            yield f"The {form}'s staff and x{form}"
            yield form.replace("s", "ſ").replace("i", "ı").replace("k", "\u212a")
            yield form.replace("I", "\u0130").replace(" ", "\n  ").replace("'", "’")
    yield from ("", "the police and the council", "TfC", "tfc", "’", "ſ")


def test_prefilter_keeps_every_agency_that_is_named():
    for la in [*sorted(REG.las)[::9], "sunderland"]:
        patterns = REG._name_patterns(la)
        names = [n for agency, _p in patterns for n in (agency.label, *agency.alt_labels) if n]
        for text in _texts(names):
            expected = _every_pattern(la, text)
            assert [(s, e, a.id) for s, e, a in REG.mentions(la, text)] == expected, text
            assert [a.id for a in REG.named_in(la, text)] == sorted({a for _s, _e, a in expected})


def test_first_words_are_plain_ascii_prefixes_of_the_names():
    from inspectgraph.sources.registry import _first_words

    assert _first_words(["Northumbria Police", "Together for Children"]) == (
        "northumbria",
        "together",
    )
    assert _first_words(["Children’s Trust"]) == ("children",)
    assert _first_words(["Überstadt Council"]) is None  # checked by its pattern always
    assert _first_words([" leading space"]) is None
    assert all(re.fullmatch(r"[ -~]+", w) for w in _first_words(["NHS", "TfC", "A-B C"]))
