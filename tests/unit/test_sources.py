"""Source profiles: the shipped file loads, and every mistake names source, key and expectation."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from core.errors import ConfigError
from core.settings import REPO_ROOT
from core.sources import load_profiles, parse_profiles

SOURCES = REPO_ROOT / "config" / "sources.toml"


def _data() -> dict[str, Any]:
    return tomllib.loads(SOURCES.read_text(encoding="utf-8"))


def test_shipped_profiles_load() -> None:
    profiles = load_profiles(SOURCES)
    assert set(profiles) == {"ekic", "bnbibliotheek", "wiki"}
    ekic, bnb = profiles["ekic"], profiles["bnbibliotheek"]
    assert ekic.provincie == "Limburg" and bnb.provincie == "Noord-Brabant"
    assert ekic.base_url == "http://127.0.0.1:8101"
    assert ekic.absolute(ekic.sitemaps[0]) == "http://127.0.0.1:8101/sitemap.xml"
    assert ekic.deletion.gone_confirmations == 2 and ekic.deletion.missing_runs == 3
    assert ekic.schedule.cron == "30 1 * * *" and bnb.schedule.interval_minutes == 240


def test_base_url_and_politeness_overrides() -> None:
    profiles = load_profiles(
        SOURCES,
        base_urls={"ekic": "http://127.0.0.1:40001/"},
        politeness={"ekic": {"delay": 0.0}},
    )
    ekic = profiles["ekic"]
    assert ekic.base_url == "http://127.0.0.1:40001"
    assert ekic.absolute("/") == "http://127.0.0.1:40001/"
    assert ekic.politeness.delay == 0.0 and ekic.politeness.concurrency == 2


def test_scope_and_documents() -> None:
    ekic = load_profiles(SOURCES)["ekic"]
    base = ekic.base_url
    assert ekic.in_scope(f"{base}/artikel.php?id=7")
    assert not ekic.in_scope(f"{base}/artikel.php?id=7&print=1")
    assert not ekic.in_scope(f"{base}/zoeken.php?q=x")
    assert not ekic.in_scope("http://elders.example/artikel.php?id=7")
    assert ekic.is_document(f"{base}/bestanden/beleidsplan.pdf")
    assert not ekic.is_document(f"{base}/categorie.php?thema=ICT")


def test_a_source_in_a_new_province_needs_only_configuration() -> None:
    data = _data()
    data["provinces"]["zeeland"] = {"label": "Zeeland", "code": "ZL", "colour": "#0f4c81"}
    third = copy.deepcopy(data["sources"]["bnbibliotheek"])
    third["label"] = "Derde bron"
    third["provincie"] = "zeeland"  # any spelling of a configured province
    third["base_url"] = "https://kennis.example.org"
    third["provincie_from"] = {"selectors": ["td.provincie"], "values": {"Zeeuws": "Zeeland"}}
    data["sources"]["derde"] = third
    profiles = parse_profiles(data)
    assert profiles["derde"].provincie == "Zeeland"
    assert profiles["derde"].provincie_from.values == {"Zeeuws": "Zeeland"}
    assert profiles["derde"].provinces.labels == ("Limburg", "Noord-Brabant", "Zeeland")
    assert profiles["derde"].in_scope("https://kennis.example.org/2011/01/x.html")
    # The same source without the [provinces] table entry is refused.
    del data["provinces"]["zeeland"]
    with pytest.raises(ConfigError, match="provincie"):
        parse_profiles(data)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("provincie",),
            "Gelderland",
            "'provincie'.*one of the \\[provinces\\] 'Limburg', 'Noord-Brabant'",
        ),
        (("base_url",), "ftp://x", "'base_url'.*http"),
        (("scope", "include"), ["(unclosed"], "'scope.include'.*regular expressions"),
        (("scope", "max_depth"), -1, "'scope.max_depth'.*whole number >= 0"),
        (("fields", "title"), ["h1[[["], "'fields.title'.*CSS"),
        (("fields", "summary"), ["meta@con tent"], "'fields.summary'.*attribute"),
        (("dates", "published"), ["%Q"], "'dates.published'.*date patterns"),
        (("dates", "timezone"), "Mars/Olympus", "'dates.timezone'.*IANA"),
        (("politeness", "delay"), "snel", "'politeness.delay'.*a number"),
        (("schedule", "cron"), "elke nacht", "'schedule.cron'.*cron"),
        (("schedule", "cron"), "61 2 * * *", "'schedule.cron'.*cron.*61"),
        (("schedule", "cron"), "0 2 * * maandag", "'schedule.cron'.*cron"),
        (("deletion", "max_error_ratio"), 2.0, "'deletion.max_error_ratio'.*<= 1.0"),
        (("scope", "follow_links"), "soms", "'scope.follow_links'.*'always'"),
        (("scope", "includ"), ["x"], r"unknown key\(s\) \['includ'\] in scope"),
        (("titel",), "x", r"unknown key\(s\) \['titel'\] in profile"),
    ],
)
def test_errors_name_source_key_and_expectation(
    path: tuple[str, ...], value: Any, message: str
) -> None:
    data = _data()
    table = data["sources"]["ekic"]
    for key in path[:-1]:
        table = table.setdefault(key, {})
    table[path[-1]] = value
    with pytest.raises(ConfigError, match="source 'ekic'.*" + message):
        parse_profiles(data)


def test_type_rule_needs_exactly_one_matcher() -> None:
    data = _data()
    data["sources"]["ekic"]["types"] = [{"type": "nieuws"}]
    with pytest.raises(ConfigError, match=r"'types\[0\]\.url'.*exactly one"):
        parse_profiles(data)


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_profiles(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[sources.x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_profiles(bad)
    with pytest.raises(ConfigError, match="unknown source 'geen'"):
        load_profiles(SOURCES, base_urls={"geen": "http://x"})


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("HTTP://Bibliotheek.EXAMPLE:80/", "http://bibliotheek.example"),
        ("https://Kennis.Example:443", "https://kennis.example"),
        ("http://127.0.0.1:8101", "http://127.0.0.1:8101"),
        ("  http://kennis.example.:8080/ ", "http://kennis.example:8080"),
    ],
)
def test_base_url_is_normalised_so_scope_matches(written: str, expected: str) -> None:
    profile = load_profiles(SOURCES, base_urls={"ekic": written})["ekic"]
    assert profile.base_url == expected
    # what the crawler stores (canonical URLs) is in scope, which it was not before
    assert profile.in_scope(f"{expected}/artikel.php?id=7")


@pytest.mark.parametrize(
    "bad", ["http://user@kennis.example", "ftp://kennis.example", "http://x/y"]
)
def test_base_url_that_is_no_site_root_is_refused(bad: str) -> None:
    with pytest.raises(ConfigError, match="base_url"):
        load_profiles(SOURCES, base_urls={"ekic": bad})


def test_default_dropped_parameters_can_be_kept_per_profile() -> None:
    from crawler.extract import canonical_url

    data = _data()
    data["sources"]["ekic"]["scope"]["keep_params"] = ["sid"]
    keeping = parse_profiles(data)["ekic"]
    default = load_profiles(SOURCES)["ekic"]
    url = f"{default.base_url}/artikel.php?sid=42&utm_source=x"
    assert canonical_url(url, default) == f"{default.base_url}/artikel.php"
    # "sid" is the article id on this CMS: kept; the other defaults still apply
    assert canonical_url(url, keeping) == f"{default.base_url}/artikel.php?sid=42"


def test_host_give_up_threshold_reaches_the_fetcher() -> None:
    from crawler.run import make_fetcher

    data = _data()
    data["sources"]["ekic"].setdefault("politeness", {})["max_host_failures"] = 3
    profile = parse_profiles(data)["ekic"]
    with make_fetcher(profile, "KennisbrugBot/0.1 (+mailto:t@example.org)") as fetcher:
        assert fetcher.max_host_failures == 3
    data["sources"]["ekic"]["politeness"]["max_host_failures"] = 0
    with pytest.raises(ConfigError, match="max_host_failures"):
        parse_profiles(data)
