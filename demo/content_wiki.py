"""Pages of the joint wiki: plain Dutch text as data (see ``wiki.py`` for the markup).

Each row: key (the page name in the URL), title, the infobox "Provincie:" value exactly
as an editor typed it (spellings vary on purpose, one is misspelled), categories,
date of the last edit, paragraphs, and whether the page comes from the old, imported
windows-1252 archive. Written for this project.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple


class WikiRow(NamedTuple):
    key: str
    title: str
    provincie: str
    categories: tuple[str, ...]
    edited: datetime
    paragraphs: tuple[str, ...]
    archive: bool = False


WIKI_ROWS: tuple[WikiRow, ...] = (
    WikiRow(
        "Leesbevordering_samen",
        "Leesbevordering samen aanpakken",
        "Limburg en Noord-Brabant",
        ("leesbevordering", "samenwerking"),
        datetime(2011, 3, 14, 10, 5),
        (
            "Bibliotheekhuis en Cubiss werken sinds 2010 samen aan leesbevordering. De twee "
            "provinciale serviceorganisaties delen hun leesplannen, hun ervaringen met de "
            "voorleesexpress en de resultaten van de monitor in beide provincies.",
            "Een gezamenlijke werkgroep maakt elk half jaar een overzicht van wat werkt: "
            "voorlezen in de kinderopvang, leesclubs voor tieners en de inzet van vrijwilligers "
            "bij taalcafés.",
        ),
    ),
    WikiRow(
        "Bibliotheek_op_school_Maastricht",
        "De Bibliotheek op school in Maastricht",
        "Limburg",
        ("onderwijs", "leesbevordering"),
        datetime(2011, 1, 20, 9, 0),
        (
            "In Maastricht hebben twaalf basisscholen een schoolbibliotheek die door de "
            "openbare bibliotheek wordt beheerd. Leesconsulenten komen wekelijks langs en "
            "helpen leerkrachten met het leesplan.",
            "De schoolbibliotheek wordt gemeten met de monitor: leesplezier en leesfrequentie "
            "van leerlingen in groep vijf tot en met acht.",
        ),
    ),
    WikiRow(
        "Makerspace_Tilburg",
        "Makerspace in de bibliotheek van Tilburg",
        "N-Brabant",
        ("innovatie", "mediawijsheid"),
        datetime(2011, 5, 2, 15, 30),
        (
            "De bibliotheek in Tilburg opende een makerspace met een 3D-printer, "
            "naaimachines en programmeerbare robots. Op woensdagmiddag begeleiden "
            "vrijwilligers kinderen bij hun eerste ontwerp.",
            "Andere bibliotheken in de regio lenen de robots via een uitleenkist.",
        ),
    ),
    WikiRow(
        "Laaggeletterdheid",
        "Laaggeletterdheid aanpakken met het Taalhuis",
        "Brabant",
        ("laaggeletterdheid", "taal"),
        datetime(2010, 11, 8, 11, 45),
        (
            "Het Taalhuis is een plek in de bibliotheek waar volwassenen die moeite hebben met "
            "lezen en schrijven terechtkunnen. Taalvrijwilligers geven individuele begeleiding.",
            "Gemeenten, welzijnswerk en de bibliotheek maken samen afspraken over doorverwijzing.",
        ),
    ),
    WikiRow(
        "Regionale_collectie_Venlo",
        "Regionale collectie Venlo en Noord-Limburg",
        "Limburg (NL)",
        ("collectie", "erfgoed"),
        datetime(2010, 9, 27, 14, 10),
        (
            "De regionale collectie bevat boeken, kranten en bidprentjes over Venlo en Noord-"
            "Limburg. Een deel is gedigitaliseerd en doorzoekbaar via de catalogus.",
        ),
    ),
    WikiRow(
        "Digitale_inclusie",
        "Digitale inclusie: Klik & Tik in de bibliotheek",
        "Beide provincies",
        ("mediawijsheid", "digitale vaardigheden"),
        datetime(2011, 6, 6, 8, 20),
        (
            "Met Klik & Tik leren ouderen de eerste stappen op de computer: muis, e-mail en "
            "internetbankieren. Beide provincies gebruiken hetzelfde lesmateriaal.",
            "Cursisten oefenen in kleine groepen, twee ochtenden per week, zes weken lang.",
        ),
    ),
    WikiRow(
        "Zomerlezen",
        "Zomerlezen tegen de zomerdip",
        "Lmburg",  # misspelled on purpose: the crawler must report it, not guess
        ("leesbevordering", "jeugd"),
        datetime(2011, 7, 1, 12, 0),
        (
            "Kinderen die in de zomervakantie niet lezen gaan achteruit in leesniveau. Met "
            "zomerlezen krijgen zij een leesrugzak en een stempelkaart.",
        ),
    ),
    WikiRow(
        "Geschiedenis_bibliobus",
        "Geschiedenis van de bibliobus",
        "Limburg",
        ("erfgoed", "bibliotheekwerk"),
        datetime(2009, 4, 15, 16, 0),
        (
            "Vanaf 1962 reed de bibliobus door het Heuvelland. De chauffeur-bibliothecaris "
            "kende de lezers bij naam; de bus stopte bij cafés, scholen en de kerk.",
            "In 2008 reed de laatste bus; de collectie ging naar de uitleenpunten in de dorpen.",
        ),
        archive=True,
    ),
    WikiRow(
        "Bibliotheekvernieuwing_Brabant",
        "Bibliotheekvernieuwing in Brabant: een terugblik",
        "Noord-Brabant",
        ("bibliotheekwerk", "beleid"),
        datetime(2009, 12, 3, 10, 0),
        (
            "De bibliotheekvernieuwing bracht basisbibliotheken samen in grotere organisaties. "
            "Dit artikel uit het oude archief beschrijft de fusies en hun gevolgen.",
        ),
        archive=True,
    ),
)

#: The deeply nested page: reached only through a chain of portal pages.
NESTED_PATH: tuple[str, ...] = ("Portaal:Jeugd", "Voorlezen", "Baby's", "BoekStart")
NESTED_ROW = WikiRow(
    "Portaal:Jeugd/Voorlezen/Baby's/BoekStart",
    "BoekStart: voorlezen aan baby's",
    "Limburg en Noord-Brabant",
    ("jeugd", "voorlezen"),
    datetime(2011, 2, 9, 9, 30),
    (
        "BoekStart geeft ouders van baby's een koffertje met twee boekjes en een "
        "voorleesadvies. De bibliotheek nodigt hen uit voor een voorleesuurtje.",
    ),
)
