"""Provinces are configuration (core/provinces.py): parsing, spellings, contrast, and no
province named anywhere in the product's code, templates, scripts or styles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.provinces import contrast_with_white, parse_provinces, slug
from core.settings import REPO_ROOT
from core.sources import load_provinces

CONFIG = REPO_ROOT / "config" / "sources.toml"
PRODUCT = ("core", "crawler", "indexer", "search_ui", "kennisbrug", "localnode")
CODE_SUFFIXES = {".py", ".html", ".xml", ".js", ".css"}

TWO = {
    "limburg": {"label": "Limburg", "code": "LI", "colour": "#7a1f1f", "aliases": ["Limburg (NL)"]},
    "noord-brabant": {
        "label": "Noord-Brabant",
        "code": "NB",
        "colour": "#1d4d2b",
        "aliases": ["Brabant", "N-Brabant"],
    },
}


def test_any_spelling_resolves_to_the_label_and_unknown_parts_are_reported() -> None:
    provinces = parse_provinces(TWO)
    assert provinces.label_of("n-brabant") == "Noord-Brabant"
    assert provinces.label_of("NB") == "Noord-Brabant"
    assert provinces.label_of("limburg (nl)") == "Limburg"
    assert provinces.label_of("Gelderland") is None
    assert provinces.resolve("Limburg en Noord-Brabant") == (("Limburg", "Noord-Brabant"), ())
    assert provinces.resolve("Brabant, Lmburg") == (("Noord-Brabant",), ("Lmburg",))
    assert provinces.resolve("Beide", {"beide": "Limburg / Brabant"}) == (
        ("Limburg", "Noord-Brabant"),
        (),
    )


def test_a_badge_colour_white_text_cannot_be_read_on_is_refused() -> None:
    light = {"x": {"label": "X", "code": "X", "colour": "#ffcc00"}}
    with pytest.raises(ConfigError, match=r"contrast of 1\.\d:1; at least 4\.5:1"):
        parse_provinces(light)
    assert contrast_with_white("#7a1f1f") >= 4.5 and contrast_with_white("#ffffff") == 1.0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({}, "at least one"),
        ({"Bad Key": {"label": "X", "code": "X", "colour": "#000000"}}, "lower-case"),
        ({"x": {"label": "X", "code": "TOOLONG", "colour": "#000000"}}, "code"),
        ({"x": {"label": "X", "code": "X", "colour": "red"}}, "#rrggbb"),
        ({"x": {"label": "X", "code": "X", "colour": "#000000", "kleur": 1}}, "unknown keys"),
        (
            {
                "x": {"label": "X", "code": "AB", "colour": "#000000"},
                "y": {"label": "Y", "code": "ab", "colour": "#000000"},
            },
            "would mean both",
        ),
    ],
)
def test_bad_province_tables_are_refused_with_a_reason(
    table: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_provinces(table)


def test_the_css_class_slug_matches_the_scripts_slug() -> None:
    assert slug("Noord-Brabant") == "noord-brabant"
    assert slug("Fryslân") == "fryslan"
    script = (REPO_ROOT / "search_ui" / "static" / "kennisbrug.js").read_text(encoding="utf-8")
    assert 'normalize("NFKD")' in script and "badge--" in script


def _province_words() -> set[str]:
    words: set[str] = set()
    for province in load_provinces(CONFIG):
        for spelling in (province.label, *province.aliases):
            words.update(w for w in re.split(r"[^\w]+", spelling) if len(w) >= 5)
    return words


def test_no_province_is_named_in_the_product_code() -> None:
    words = _province_words()
    assert {"Limburg", "Brabant"} <= words  # the check reads the real configuration
    pattern = re.compile("|".join(sorted(words)), re.IGNORECASE)
    offenders = []
    for package in PRODUCT:
        for path in sorted((REPO_ROOT / package).rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if pattern.search(line):
                        offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "province names belong in config/sources.toml:\n" + "\n".join(offenders)


def test_the_scan_would_see_a_province_in_code(tmp_path: Path) -> None:
    words = _province_words()
    pattern = re.compile("|".join(sorted(words)), re.IGNORECASE)
    assert pattern.search('if provincie == "limburg":')
    assert not pattern.search("if provincie == province.label:")
