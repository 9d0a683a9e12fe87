"""The judged Dutch test collection: queries over the demo corpus with graded judgments.

How it was made: every one of the 103 documents the demo crawl yields (eKIC:
articles, news, dossiers and PDF attachments; bnbibliotheek: blog posts) was read
(title, trefwoorden, lead paragraph and the two background paragraphs each page
carries) for every query below, and graded before any ranking was run:

    3  the document is about exactly what is asked
    2  a large part of the document answers it
    1  the document mentions it usefully (often in a background paragraph)
    0  not relevant (the default: only non-zero grades are written down)

Judgments are never changed to suit a ranking. A query with no relevant document
(no-match, boilerplate-only) is right when it returns nothing (see ``scoring``).
A typed filter is part of the question: documents outside it are graded 0.

Keys: ``e12`` = eKIC ``/artikel.php?id=12``, ``d1`` = eKIC dossier 1, ``f:name`` =
eKIC attachment ``/bestanden/name.pdf``, ``b:2009/01/slug`` = bnbibliotheek post.
Groups of documents that share a background paragraph are named after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

#: Query types, as issue #12 names them.
TYPES: Final = (
    "diacritics dropped",
    "plural-singular",
    "verb form",
    "compound part",
    "apostrophe plural",
    "synonym",
    "multi-word synonym",
    "typo",
    "natural question",
    "phrase",
    "typed filter",
    "no-match",
    "boilerplate-only",
)
#: Every document was read for every query (recorded here, checked against the crawl).
DOCUMENTS_READ: Final = 103


def key(short: str) -> str:
    """The harness's document key for a short name used below."""
    if short.startswith("b:"):
        return f"bnb:/{short[2:]}.html"
    if short.startswith("f:"):
        return f"ekic:/bestanden/{short[2:]}.pdf"
    if short.startswith("d"):
        return f"ekic:/dossier.php?id={short[1:]}"
    return f"ekic:/artikel.php?id={short[1:]}"


@dataclass(frozen=True)
class Judged:
    q: str
    kind: str
    short_grades: dict[str, int] = field(default_factory=dict)

    @property
    def grades(self) -> dict[str, int]:
        return {key(k): g for k, g in self.short_grades.items()}


def grade(value: int, *groups: tuple[str, ...]) -> dict[str, int]:
    return {doc: value for group in groups for doc in group}


def judged(*parts: dict[str, int]) -> dict[str, int]:
    """Merge grade maps; a document keeps its highest grade."""
    merged: dict[str, int] = {}
    for part in parts:
        for doc, value in part.items():
            merged[doc] = max(merged.get(doc, 0), value)
    return merged


# -- documents that share a background paragraph (content.THEME_PARAGRAPHS) ---------------
LEESCLUB_PARA = ("b:2009/04/laaggeletterdheid-de-verborgen-groep", "b:2010/06/taalcafe-in-helmond",
                 "e12", "e2", "e30", "e45")  # fmt: skip
VOORLEZEN_PARA = ("b:2009/01/leesclub-in-oss-bestaat-tien-jaar", "b:2009/04/boekstart-in-eindhoven",
                  "b:2009/06/zomerlezen-actie-2009", "b:2009/10/kinderboekenweek-2009-tour-de-monde",
                  "b:2010/03/leesclubs-voor-mannen", "b:2011/06/auteursrecht-bij-voorlezen",
                  "e19", "e36", "d1")  # fmt: skip
JONGEREN_PARA = ("b:2009/01/leesclub-in-oss-bestaat-tien-jaar", "b:2009/04/boekstart-in-eindhoven",
                 "b:2010/01/voorleesontbijt-2010", "b:2010/03/leesclubs-voor-mannen",
                 "b:2010/07/zomer-in-de-bieb", "b:2011/02/voorleeswedstrijd-brabant-finale",
                 "b:2011/06/auteursrecht-bij-voorlezen", "e23", "e3", "e36", "d1")  # fmt: skip
TAALPUNT_PARA = ("b:2009/04/laaggeletterdheid-de-verborgen-groep", "b:2009/06/zomerlezen-actie-2009",
                 "b:2009/10/kinderboekenweek-2009-tour-de-monde", "b:2010/06/taalcafe-in-helmond",
                 "e12", "e19", "e2")  # fmt: skip
ZOEKLES_PARA = ("b:2010/02/digitale-fotos-voor-senioren", "b:2010/09/mediawijsheid-en-ouders",
                "b:2011/02/klik-en-tik-in-de-bibliotheek", "e14", "e21", "e26", "e41", "e46",
                "d31")  # fmt: skip
OUDERAVOND_PARA = ("b:2009/10/mediacoach-opleiding-gestart", "e7")
MEDIAWIJZER_PARA = ("b:2009/02/mediawijsheid-op-de-basisschool", "b:2010/04/boekentrailers-maken",
                    "b:2011/04/games-in-de-bibliotheek", "e21", "e26", "e41", "e46", "d31")  # fmt: skip
SENIOREN_PARA = ("b:2010/02/digitale-fotos-voor-senioren", "b:2010/09/mediawijsheid-en-ouders",
                 "b:2011/02/klik-en-tik-in-de-bibliotheek", "e14", "e7")  # fmt: skip
INKOOP_PARA = ("b:2009/03/collectieplan-brabant-2009", "b:2011/03/collectie-samen-met-limburg",
               "e38", "e43")  # fmt: skip
CD_PARA = ("b:2010/05/anderstalige-collectie-brabant", "b:2010/09/collectie-cds-afbouwen",
           "e24", "e29", "e4", "e9")  # fmt: skip
CATALOGUS_PARA = ("b:2010/05/anderstalige-collectie-brabant", "b:2010/09/collectie-cds-afbouwen",
                  "e38", "e43")  # fmt: skip
BOS_PARA = ("b:2009/06/bibliotheek-op-school-in-den-bosch",
            "b:2010/09/bibliotheek-op-school-tilburg-evaluatie",
            "b:2010/11/leesbevordering-in-de-kinderopvang", "e28", "e35", "e8")  # fmt: skip
KINDEROPVANG_PARA = ("b:2009/09/informatievaardigheden-in-het-vo",
                     "b:2011/04/leesplan-basisschool-voorbeelden", "e42")  # fmt: skip
GEMEENTE_PARA = ("b:2009/01/welkom-op-bnbibliotheek", "b:2010/10/werkbezoek-bibliotheekhuis-limburg",
                 "b:2011/05/open-bibliotheek-in-boxmeer", "e13", "e18", "e25", "e48", "d20")  # fmt: skip
FUSIE_PARA = ("b:2009/03/bibliotheek-tilburg-opent-leescafe", "b:2009/08/vrijwilligers-waarderen",
              "b:2010/04/jaarverslag-cubiss-2009", "b:2010/11/samenwerking-cubiss-en-bibliotheekhuis",
              "b:2010/12/beleidsplan-2011-cubiss", "b:2011/03/bibliotheekvernieuwing-wat-nu",
              "e34", "e39", "e49", "e6")  # fmt: skip
VRIJWILLIGERS_PARA = ("b:2009/08/vrijwilligers-waarderen", "b:2010/10/werkbezoek-bibliotheekhuis-limburg",
                      "b:2010/12/beleidsplan-2011-cubiss", "b:2011/03/bibliotheekvernieuwing-wat-nu",
                      "e13", "e18", "e48", "e6")  # fmt: skip
ALADIN_PARA = ("b:2009/05/hyves-voor-bibliotheken", "b:2009/09/nieuwe-website-cubiss",
               "b:2010/02/aladin-en-brabant", "b:2010/05/e-readers-uitlenen-in-veldhoven",
               "e15", "e33", "e40", "e5", "e50", "d10")  # fmt: skip
EREADER_PARA = (
    "b:2009/11/rfid-in-bergen-op-zoom",
    "b:2011/05/kennisnetwerk-evaluatie",
    "e11",
    "e44",
)
RFID_PARA = ("b:2009/02/e-books-hype-of-toekomst", "b:2010/02/aladin-en-brabant",
             "b:2010/05/e-readers-uitlenen-in-veldhoven", "b:2010/10/twitter-voor-bibliothecarissen",
             "b:2011/01/e-books-landelijk-platform", "e15", "e22", "e27", "e40", "e5", "e50",
             "d10")  # fmt: skip
WEBSITE_PARA = ("b:2009/05/hyves-voor-bibliotheken", "b:2009/09/nieuwe-website-cubiss",
                "b:2009/11/rfid-in-bergen-op-zoom", "e11", "e33")  # fmt: skip

# -- grade maps shared by several queries ----------------------------------------------
LEESCLUB = judged(
    grade(3, ("e2", "f:handleiding-leesclub", "b:2009/01/leesclub-in-oss-bestaat-tien-jaar",
              "b:2010/03/leesclubs-voor-mannen", "e36")),
    grade(1, ("d1",), LEESCLUB_PARA),
)  # fmt: skip
LUISTERBOEK = judged({"e9": 3}, grade(1, CD_PARA))
VRIJWILLIGER = judged(
    grade(3, ("e13", "b:2009/08/vrijwilligers-waarderen")),
    grade(1, VRIJWILLIGERS_PARA, ("b:2010/06/taalcafe-in-helmond", "e19",
          "b:2011/02/klik-en-tik-in-de-bibliotheek", "b:2011/05/open-bibliotheek-in-boxmeer")),
)  # fmt: skip
EREADER = judged(
    grade(3, ("b:2010/05/e-readers-uitlenen-in-veldhoven", "e11", "d10")),
    {"b:2009/02/e-books-hype-of-toekomst": 2},
    grade(1, ("e40", "b:2011/01/e-books-landelijk-platform"), EREADER_PARA),
)
MEDIAWIJSHEID = judged(
    grade(3, ("d31", "e7", "b:2009/02/mediawijsheid-op-de-basisschool",
              "b:2010/09/mediawijsheid-en-ouders", "e41", "e46")),
    grade(2, ("e14", "e21", "b:2009/10/mediacoach-opleiding-gestart",
              "b:2010/04/boekentrailers-maken", "b:2011/04/games-in-de-bibliotheek",
              "b:2010/02/digitale-fotos-voor-senioren")),
    grade(1, ("e26", "f:beleidsplan-2011", "e39", "b:2010/12/beleidsplan-2011-cubiss",
              "b:2011/02/klik-en-tik-in-de-bibliotheek"), ZOEKLES_PARA, MEDIAWIJZER_PARA),
)  # fmt: skip
LAAGGELETTERDHEID = judged(
    grade(3, ("b:2009/04/laaggeletterdheid-de-verborgen-groep", "e19")),
    {"b:2010/06/taalcafe-in-helmond": 2},
    grade(1, ("e39", "f:beleidsplan-2011"), TAALPUNT_PARA),
)  # fmt: skip
BIEB_ZONDER_PERSONEEL = judged(
    grade(3, ("e48", "b:2011/05/open-bibliotheek-in-boxmeer")),
    grade(1, ("e13", "e22", "b:2009/11/rfid-in-bergen-op-zoom")),
)

QUERIES: Final[tuple[Judged, ...]] = (
    # diacritics dropped
    Judged("leescafe", "diacritics dropped",
           {"b:2009/03/bibliotheek-tilburg-opent-leescafe": 3, "e32": 2}),
    Judged("ideeen werkconferentie", "diacritics dropped",
           {"b:2010/03/bieb-van-de-toekomst-werkconferentie": 3, "e39": 2,
            "f:beleidsplan-2011": 2}),
    Judged("Centre Ceramique Maastricht", "diacritics dropped", {"e30": 3}),
    Judged("efficienter inkopen", "diacritics dropped", judged(
        grade(3, ("b:2009/03/collectieplan-brabant-2009", "b:2011/03/collectie-samen-met-limburg")),
        {"f:beleidsplan-2011": 2}, grade(1, INKOOP_PARA))),
    # plural <-> singular
    Judged("leesclubs", "plural-singular", LEESCLUB),
    Judged("e-reader", "plural-singular", EREADER),
    Judged("luisterboek", "plural-singular", LUISTERBOEK),
    Judged("vrijwilliger", "plural-singular", VRIJWILLIGER),
    Judged("bezuiniging", "plural-singular", judged(
        grade(3, ("e25", "b:2009/11/bezuinigingen-in-brabant")),
        {"b:2011/03/bibliotheekvernieuwing-wat-nu": 2}, grade(1, GEMEENTE_PARA))),
    # verb forms
    Judged("samenwerken", "verb form", judged(
        grade(3, ("e37", "e6", "b:2010/11/samenwerking-cubiss-en-bibliotheekhuis")),
        grade(2, ("b:2010/10/werkbezoek-bibliotheekhuis-limburg",
                  "b:2011/03/collectie-samen-met-limburg", "e35")),
        grade(1, ("b:2010/12/beleidsplan-2011-cubiss", "f:beleidsplan-2011", "e17",
                  "f:jaarverslag-2009", "b:2010/04/jaarverslag-cubiss-2009"),
              MEDIAWIJZER_PARA, INKOOP_PARA, KINDEROPVANG_PARA))),
    Judged("e-readers lenen", "verb form", judged(
        grade(3, ("b:2010/05/e-readers-uitlenen-in-veldhoven", "e11")), {"d10": 2},
        grade(1, ("b:2009/02/e-books-hype-of-toekomst", "e40", "b:2011/01/e-books-landelijk-platform"),
              EREADER_PARA))),
    Judged("fuseren", "verb form", judged({"e6": 3}, grade(1, FUSIE_PARA))),
    Judged("voorgelezen", "verb form", judged(
        grade(3, ("e3", "b:2010/01/voorleesontbijt-2010", "e45",
                  "b:2010/11/leesbevordering-in-de-kinderopvang")),
        grade(2, ("e23", "b:2009/04/boekstart-in-eindhoven", "b:2011/02/voorleeswedstrijd-brabant-finale",
                  "e30", "b:2011/06/auteursrecht-bij-voorlezen")),
        grade(1, ("d1", "e35"), VOORLEZEN_PARA))),
    # compound parts
    Judged("catalogus", "compound part", judged(
        grade(3, ("e5", "f:handleiding-aladin-catalogus", "e27")),
        grade(1, ("f:lespakket-zoeken-en-vinden",), CATALOGUS_PARA, ALADIN_PARA))),
    Judged("koffertje", "compound part", {"e23": 3, "b:2009/04/boekstart-in-eindhoven": 3}),
    Judged("trailers", "compound part", judged(
        {"b:2010/04/boekentrailers-maken": 3, "e28": 2}, grade(1, JONGEREN_PARA))),
    Judged("automaat", "compound part", judged(
        {"e22": 3, "e48": 2, "b:2009/11/rfid-in-bergen-op-zoom": 2}, grade(1, RFID_PARA))),
    # apostrophe plurals
    Judged("cd", "apostrophe plural", judged(
        {"e38": 3, "b:2010/09/collectie-cds-afbouwen": 3, "e9": 2}, grade(1, CD_PARA))),
    Judged("foto senioren", "apostrophe plural", judged(
        {"b:2010/02/digitale-fotos-voor-senioren": 3, "e41": 3,
         "b:2011/02/klik-en-tik-in-de-bibliotheek": 2}, grade(1, SENIOREN_PARA))),
    Judged("baby", "apostrophe plural", {"e23": 3, "b:2009/04/boekstart-in-eindhoven": 3, "d1": 2}),
    # synonyms, one word and several
    Judged("den bosch", "multi-word synonym", {
        "b:2009/06/bibliotheek-op-school-in-den-bosch": 3, "b:2011/06/nieuwe-vestiging-rompert": 3,
        "b:2011/02/voorleeswedstrijd-brabant-finale": 2,
        "b:2009/04/laaggeletterdheid-de-verborgen-groep": 2}),
    Judged("bibliotheek op school 's-Hertogenbosch", "multi-word synonym", judged(
        {"b:2009/06/bibliotheek-op-school-in-den-bosch": 3},
        grade(1, ("b:2011/06/nieuwe-vestiging-rompert", "b:2010/09/bibliotheek-op-school-tilburg-evaluatie",
                  "e8", "e42", "b:2011/04/leesplan-basisschool-voorbeelden"), BOS_PARA))),
    Judged("wet bescherming persoonsgegevens", "multi-word synonym", {"e50": 3}),
    Judged("leeskring", "synonym", LEESCLUB),
    Judged("audioboeken", "synonym", LUISTERBOEK),
    Judged("bibliotheekwet", "synonym", {"e49": 3}),
    Judged("privacywet", "synonym", {"e50": 3}),
    Judged("e-boeken", "synonym", judged(
        grade(3, ("d10", "e11", "e40", "b:2009/02/e-books-hype-of-toekomst",
                  "b:2011/01/e-books-landelijk-platform")),
        {"b:2010/05/e-readers-uitlenen-in-veldhoven": 2}, grade(1, EREADER_PARA, CD_PARA))),
    Judged("bieb openingstijden", "synonym", judged(
        {"e48": 2, "b:2011/05/open-bibliotheek-in-boxmeer": 2}, grade(1, WEBSITE_PARA))),
    Judged("ouderen internet", "synonym", judged(
        {"e41": 3, "b:2011/02/klik-en-tik-in-de-bibliotheek": 3,
         "b:2010/02/digitale-fotos-voor-senioren": 2}, grade(1, SENIOREN_PARA))),
    # typos
    Judged("leesclb", "typo", LEESCLUB),
    Judged("mediawijsheit", "typo", MEDIAWIJSHEID),
    Judged("laaggeletterheid", "typo", LAAGGELETTERDHEID),
    Judged("vrijwiligers", "typo", VRIJWILLIGER),
    Judged("Tilbrug", "typo", {"b:2009/03/bibliotheek-tilburg-opent-leescafe": 3,
                              "b:2010/09/bibliotheek-op-school-tilburg-evaluatie": 3,
                              "b:2010/01/voorleesontbijt-2010": 1}),
    # natural questions
    Judged("hoe organiseer ik een leesclub in de bibliotheek", "natural question", judged(
        grade(3, ("e2", "f:handleiding-leesclub")),
        grade(2, ("e36", "b:2010/03/leesclubs-voor-mannen")),
        grade(1, ("b:2009/01/leesclub-in-oss-bestaat-tien-jaar", "d1"), LEESCLUB_PARA))),
    Judged("wat doet de bibliotheek tegen laaggeletterdheid", "natural question", judged(
        grade(3, ("e19", "b:2009/04/laaggeletterdheid-de-verborgen-groep",
                  "b:2010/06/taalcafe-in-helmond")),
        {"f:beleidsplan-2011": 2}, grade(1, ("e39",), TAALPUNT_PARA))),
    Judged("hoe praat ik met de gemeente over bezuinigingen", "natural question", judged(
        grade(3, ("e25", "b:2009/11/bezuinigingen-in-brabant")),
        grade(1, ("b:2011/03/bibliotheekvernieuwing-wat-nu",), GEMEENTE_PARA))),
    Judged("e-books lenen via de website", "natural question", judged(
        {"e40": 3},
        grade(2, ("e11", "b:2011/01/e-books-landelijk-platform", "d10")),
        grade(1, ("b:2010/05/e-readers-uitlenen-in-veldhoven", "b:2009/02/e-books-hype-of-toekomst",
                  "e27"), EREADER_PARA))),
    Judged("lessen mediawijsheid voor groep 8", "natural question", judged(
        {"b:2009/02/mediawijsheid-op-de-basisschool": 3, "e26": 3,
         "f:lespakket-zoeken-en-vinden": 2}, grade(1, ("d31",), ZOEKLES_PARA))),
    Judged("ouderavond over sociale media", "natural question", judged(
        {"e14": 3, "b:2010/09/mediawijsheid-en-ouders": 3},
        grade(1, ("e33", "b:2009/05/hyves-voor-bibliotheken",
                  "b:2010/10/twitter-voor-bibliothecarissen"), OUDERAVOND_PARA))),
    Judged("bieb open zonder personeel", "natural question", BIEB_ZONDER_PERSONEEL),
    Judged("hoe tevreden zijn leden over de bibliotheek", "natural question", {"e47": 3}),
    # phrases
    Judged('"bieb van de toekomst"', "phrase", {
        "e32": 3, "b:2010/03/bieb-van-de-toekomst-werkconferentie": 3,
        "b:2009/03/bibliotheek-tilburg-opent-leescafe": 2}),
    Judged('"bibliotheek op school"', "phrase", judged(
        grade(3, ("b:2009/06/bibliotheek-op-school-in-den-bosch",
                  "b:2010/09/bibliotheek-op-school-tilburg-evaluatie", "e8", "e42")),
        {"b:2011/04/leesplan-basisschool-voorbeelden": 2},
        grade(1, ("b:2010/12/beleidsplan-2011-cubiss", "f:beleidsplan-2011",
                  "b:2010/11/leesbevordering-in-de-kinderopvang", "e28", "e35")))),
    Judged('"Week van de Mediawijsheid"', "phrase", {"e46": 3}),
    # typed filters (documents outside the filter are 0)
    Judged("leesclub provincie:limburg", "typed filter", {
        "e2": 3, "f:handleiding-leesclub": 3, "e36": 3, "d1": 1, "e12": 1, "e30": 1, "e45": 1}),
    Judged("e-books jaar:2010-2011", "typed filter", judged(
        {"e40": 3, "b:2011/01/e-books-landelijk-platform": 3,
         "b:2010/05/e-readers-uitlenen-in-veldhoven": 2},
        grade(1, ("b:2011/05/kennisnetwerk-evaluatie", "e44", "b:2010/05/anderstalige-collectie-brabant",
                  "b:2010/09/collectie-cds-afbouwen", "e24", "e29")))),
    # nothing in the corpus answers these
    Judged("ruimtevaart", "no-match"),
    Judged("belastingaangifte kerstpakket", "no-match"),
    Judged("formule 1 zandvoort", "no-match"),
    # words that only occur in the sites' navigation and footers (the extractor drops them)
    Judged("populaire trefwoorden", "boilerplate-only"),
    Judged("een reactie posten", "boilerplate-only"),
    Judged("mogelijk gemaakt door blogger", "boilerplate-only"),
)  # fmt: skip
