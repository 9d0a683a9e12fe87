"""The hand-written eKIC pages (Bibliotheekhuis, Limburg): pure data.

Part of demo; ``sites.py`` turns each row into an Entry and adds two
background paragraphs from content.THEME_PARAGRAPHS. Row: id, kind, theme,
published (dd-mm-yyyy), title, trefwoorden, lead paragraph.
"""

from __future__ import annotations

from demo.model import Attachment

ROWS: tuple[tuple[int, str, str, str, str, str, str], ...] = (
    (1, "dossier", "leesbevordering", "12-01-2009", "Dossier leesbevordering",
     "leesbevordering, voorlezen, dossier",
     "In dit dossier bundelt Bibliotheekhuis alle artikelen over leesbevordering: van BoekStart "
     "voor baby's tot leesclubs voor volwassenen. Het dossier wordt regelmatig aangevuld."),
    (2, "artikel", "leesbevordering", "20-01-2009", "Leesclubs organiseren in de bibliotheek",
     "leesclub, leesclubs, leesbevordering",
     "Steeds meer Limburgse bibliotheken organiseren zelf leesclubs. In dit artikel leest u hoe "
     "u een leesclub opzet, hoe u deelnemers werft en welke titels geschikt zijn om te bespreken."),
    (3, "nieuws", "leesbevordering", "02-02-2009", "Nationale Voorleesdagen 2009 groot succes",
     "voorlezen, Nationale Voorleesdagen, peuters",
     "Tijdens de Nationale Voorleesdagen werd in bijna alle Limburgse vestigingen voorgelezen. "
     "Burgemeesters, wethouders en zelfs een carnavalsprins lazen voor aan peuters en kleuters."),
    (4, "artikel", "collectie", "16-02-2009", "Collectiebeleid in een tijd van krimp",
     "collectiebeleid, collectie, krimp, Zuid-Limburg",
     "Zuid-Limburg krimpt, en dat merken de bibliotheken. Minder inwoners betekent minder "
     "leden en minder budget. Hoe houdt u de collectie actueel en aantrekkelijk als er minder te "
     "besteden is?"),
    (5, "artikel", "ICT", "03-03-2009", "Handleiding Al@din catalogus voor vestigingen",
     "Al@din, catalogus, handleiding, ICT",
     "Deze handleiding beschrijft stap voor stap hoe medewerkers in vestigingen titels invoeren, "
     "exemplaren koppelen en reserveringen verwerken in de Al@din-catalogus."),
    (6, "nieuws", "bedrijfsvoering", "17-03-2009", "Bibliotheek Venlo en Venray gaan samenwerken",
     "Venlo, Venray, fusie, basisbibliotheek",
     "De bibliotheken van Venlo en Venray hebben een intentieverklaring getekend. Beide "
     "organisaties onderzoeken de komende maanden of een gezamenlijke basisbibliotheek voor "
     "Noord-Limburg haalbaar is."),
    (7, "artikel", "mediawijsheid", "06-04-2009", "Mediawijsheid: wat kan de bibliotheek?",
     "mediawijsheid, internet, jongeren",
     "Mediawijsheid staat hoog op de agenda van het ministerie van OCW. Maar wat betekent het "
     "begrip eigenlijk, en welke rol kan de openbare bibliotheek spelen tussen school, ouders en "
     "omroepen?"),
    (8, "artikel", "educatie", "21-04-2009", "De bibliotheek op school in Heerlen",
     "bibliotheek op school, basisschool, Heerlen",
     "In Heerlen hebben vijf basisscholen sinds dit voorjaar een eigen bibliotheekvoorziening, "
     "verzorgd door de openbare bibliotheek. Leerlingen lenen in de klas en een leesconsulent "
     "komt wekelijks langs."),
    (9, "nieuws", "collectie", "11-05-2009", "Nieuwe collectie luisterboeken beschikbaar",
     "luisterboeken, cd's, collectie",
     "Bibliotheekhuis heeft een wisselcollectie luisterboeken samengesteld. Bibliotheken kunnen "
     "pakketten van vijftig titels op cd's en mp3-cd's aanvragen voor een periode van drie maanden."),
    (10, "dossier", "ICT", "25-05-2009", "Dossier e-books en e-readers",
     "e-books, e-readers, dossier, ICT",
     "Het e-book komt eraan, ook in de bibliotheek. Dit dossier verzamelt artikelen over "
     "uitleenmodellen, apparaten, auteursrecht en de eerste proeven in Nederland en België."),
    (11, "artikel", "ICT", "08-06-2009", "E-books uitlenen: de eerste ervaringen",
     "e-books, uitlenen, e-readers",
     "Drie bibliotheken in Limburg lenen sinds januari e-readers uit. De apparaten zijn populair, "
     "maar het aanbod van Nederlandstalige titels is nog beperkt en het laden van bestanden kost "
     "veel uitleg aan de balie."),
    (12, "nieuws", "leesbevordering", "22-06-2009", "Zomerlezen: leesdip voorkomen",
     "zomerlezen, vakantie, leesdip",
     "Kinderen die in de zomervakantie niet lezen, gaan gemiddeld achteruit in leesniveau. "
     "Met een zomerleesactie wil de bibliotheek die leesdip voorkomen. Deelnemende kinderen "
     "krijgen een stempelkaart."),
    (13, "artikel", "bedrijfsvoering", "07-09-2009", "Vrijwilligers in de bibliotheek",
     "vrijwilligers, personeel, bedrijfsvoering",
     "Zonder vrijwilligers zouden veel kleine vestigingen hun deuren moeten sluiten. Toch is de "
     "inzet van vrijwilligers niet vanzelfsprekend. Waar ligt de grens tussen betaald en "
     "onbetaald werk?"),
    (14, "artikel", "mediawijsheid", "21-09-2009", "Ouderavond over internet en sociale netwerken",
     "ouderavond, Hyves, sociale netwerken, mediawijsheid",
     "Een ouderavond over internetgebruik van kinderen is een laagdrempelige manier om de "
     "bibliotheek te profileren als expert op het gebied van mediawijsheid. Dit draaiboek helpt "
     "u op weg."),
    (15, "nieuws", "ICT", "05-10-2009", "Storing Al@din op 12 oktober",
     "Al@din, storing, onderhoud",
     "Vanwege onderhoud aan de centrale server is Al@din op maandag 12 oktober tussen 7.00 en "
     "9.00 uur niet beschikbaar. Uitlenen via de noodprocedure blijft mogelijk."),
    (16, "artikel", "educatie", "19-10-2009", "Leesplan voor de basisschool",
     "leesplan, basisschool, leesbeleid",
     "Een leesplan legt vast wat school en bibliotheek samen willen bereiken en hoe ze dat "
     "aanpakken. Dit artikel beschrijft de onderdelen van een goed leesplan, met voorbeelden uit "
     "Sittard-Geleen en Roermond."),
    (17, "artikel", "collectie", "02-11-2009", "Anderstalige collecties in Limburg",
     "anderstalige collectie, Duits, Pools, collectie",
     "In de grensstreek lenen veel leden Duitse boeken, en in Venlo en Horst groeit de vraag "
     "naar Poolse titels. Bibliotheekhuis coördineert een gezamenlijke anderstalige collectie."),
    (18, "nieuws", "bedrijfsvoering", "16-11-2009", "Provincie Limburg verlengt subsidie",
     "provincie Limburg, subsidie, bibliotheekvernieuwing",
     "Gedeputeerde Staten van Limburg hebben de subsidie voor bibliotheekvernieuwing met twee "
     "jaar verlengd. Daarmee kunnen lopende projecten op het gebied van leesbevordering en ICT "
     "worden afgerond."),
    (19, "artikel", "leesbevordering", "30-11-2009", "Laaggeletterdheid aanpakken met taalpunten",
     "laaggeletterdheid, taalpunt, volwasseneneducatie",
     "In Maastricht en Heerlen zijn taalpunten geopend in de bibliotheek. Volwassenen die beter "
     "willen leren lezen en schrijven kunnen er terecht voor oefenmateriaal en begeleiding door "
     "vrijwilligers."),
    (20, "dossier", "bedrijfsvoering", "14-12-2009", "Dossier beleidsplan 2011",
     "beleidsplan, beleidsplan 2011, dossier",
     "Het nieuwe beleidsplan van Bibliotheekhuis Limburg beschrijft de koers voor 2011 en "
     "verder. In dit dossier vindt u het plan zelf, de achtergronden en de reacties uit het veld."),
    (21, "nieuws", "mediawijsheid", "11-01-2010", "Training mediacoach voor bibliotheekmedewerkers",
     "mediacoach, training, mediawijsheid",
     "In het voorjaar start een training tot mediacoach. Bibliotheekmedewerkers leren in zes "
     "bijeenkomsten hoe zij scholen en ouders kunnen adviseren over mediagebruik."),
    (22, "artikel", "ICT", "25-01-2010", "RFID en zelfbediening invoeren",
     "RFID, zelfbediening, uitleenautomaat",
     "Steeds meer vestigingen stappen over op zelfbediening met RFID. Een goede voorbereiding "
     "voorkomt problemen: van het labelen van de collectie tot het instrueren van leden bij de "
     "automaat."),
    (23, "artikel", "leesbevordering", "08-02-2010", "BoekStart in Limburg",
     "BoekStart, baby's, voorlezen, consultatiebureau",
     "Ouders van baby's krijgen via het consultatiebureau een waardebon voor een gratis "
     "BoekStartkoffertje. Sinds de start in Limburg zijn ruim tweeduizend koffertjes opgehaald."),
    (24, "nieuws", "collectie", "22-02-2010", "Boekenweek 2010: Gek van geschiedenis",
     "Boekenweek, activiteiten, collectie",
     "Het thema van de Boekenweek 2010 is 'Gek van geschiedenis'. Bibliotheekhuis heeft een "
     "lijst met historische romans en een suggestie voor een lezing over Limburgse geschiedenis."),
    (25, "artikel", "bedrijfsvoering", "08-03-2010", "Bezuinigingen: hoe gaat u het gesprek aan?",
     "bezuinigingen, gemeente, bedrijfsvoering",
     "Veel Limburgse gemeenten kondigen bezuinigingen op de bibliotheek aan. Dit artikel geeft "
     "handvatten voor het gesprek met wethouder en gemeenteraad, met cijfers over bereik en "
     "maatschappelijk rendement."),
    (26, "artikel", "mediawijsheid", "22-03-2010", "Lespakket Zoeken en vinden groep 7 en 8",
     "lespakket, informatievaardigheden, zoeken",
     "Het lespakket 'Zoeken en vinden' leert leerlingen van groep 7 en 8 hoe ze betrouwbare "
     "informatie vinden op internet en in de bibliotheek. Het pakket bestaat uit vier lessen."),
    (27, "nieuws", "ICT", "06-04-2010", "Nieuwe versie Al@din webcatalogus",
     "Al@din, webcatalogus, website",
     "De vernieuwde webcatalogus van Al@din is online. Leden kunnen nu ook via internet "
     "reserveringen plaatsen, hun leengeschiedenis bekijken en boeken verlengen."),
    (28, "artikel", "educatie", "19-04-2010", "Leesconsulenten in het voortgezet onderwijs",
     "leesconsulent, voortgezet onderwijs, jongeren",
     "Jongeren lezen steeds minder. Een leesconsulent op de middelbare school probeert daar iets "
     "aan te doen, met boekentrailers, een jongerenjury en een goed gevulde mediatheek."),
    (29, "artikel", "collectie", "10-05-2010", "Afschrijven en opschonen van de collectie",
     "afschrijven, opschonen, collectiebeleid",
     "Een collectie die niet wordt opgeschoond, oogt rommelig en verouderd. Dit artikel "
     "beschrijft een werkwijze om verantwoord af te schrijven, met criteria per genre."),
    (30, "nieuws", "leesbevordering", "25-05-2010", "Voorleeswedstrijd Limburgse finale in Maastricht",
     "voorleeswedstrijd, Maastricht, jeugd",
     "In de Centre Céramique in Maastricht streden twaalf voorlezers om de titel van beste "
     "voorlezer van Limburg. De winnaar komt uit Kerkrade en gaat door naar de landelijke finale."),
    (31, "dossier", "mediawijsheid", "07-06-2010", "Dossier mediawijsheid",
     "mediawijsheid, dossier, jeugd",
     "Alles over mediawijsheid in één dossier: achtergronden, lespakketten, trainingen en "
     "voorbeelden van activiteiten uit Limburgse bibliotheken."),
    (32, "artikel", "bedrijfsvoering", "21-06-2010", "Bibliotheek van de toekomst: de bieb als ontmoetingsplek",
     "bieb van de toekomst, ontmoetingsplek, huisvesting",
     "Hoe ziet de bibliotheek eruit in 2020? Steeds vaker wordt de bieb een ontmoetingsplek met "
     "een leescafé, werkplekken en ruimte voor activiteiten. Drie voorbeelden uit binnen- en "
     "buitenland, waaronder België."),
    (33, "artikel", "ICT", "06-09-2010", "Sociale media voor bibliotheken",
     "sociale media, Twitter, Hyves, website",
     "Twitter, Hyves en Facebook bieden bibliotheken nieuwe kansen om hun leden te bereiken. "
     "Maar wie houdt het bij, en wat plaatst u wel en niet? Een handreiking met voorbeelden."),
    (34, "nieuws", "bedrijfsvoering", "20-09-2010", "Jaarverslag 2009 verschenen",
     "jaarverslag, cijfers, bedrijfsvoering",
     "Het jaarverslag 2009 van Bibliotheekhuis Limburg is verschenen. Het aantal uitleningen "
     "daalde licht, maar het bezoek aan activiteiten en de website steeg flink."),
    (35, "artikel", "educatie", "04-10-2010", "Samenwerking met de kinderopvang",
     "kinderopvang, peuters, voorschoolse educatie",
     "Kinderdagverblijven en peuterspeelzalen zijn belangrijke partners voor de bibliotheek. "
     "Met boekenkisten, voorleestrainingen voor leidsters en ouderbijeenkomsten bereikt u "
     "gezinnen die zelf niet naar de bibliotheek komen."),
    (36, "artikel", "leesbevordering", "18-10-2010", "Leesclubs voor jongeren",
     "leesclub, jongeren, leesbevordering",
     "Een leesclub voor jongeren werkt anders dan een leesclub voor volwassenen. Korter, "
     "informeler en met meer ruimte voor film, games en internet. Tips uit Venlo en Weert."),
    (37, "nieuws", "bedrijfsvoering", "11-11-2010", "Bibliotheekhuis en Cubiss gaan samenwerken",
     "samenwerking, Cubiss, Noord-Brabant, samenwerkingsovereenkomst",
     "Bibliotheekhuis Limburg en Cubiss Noord-Brabant gaan zoveel mogelijk samenwerken. Beide "
     "organisaties lieten elkaar hun kennissystemen zien: eKIC en bnbibliotheek. De conclusie "
     "was unaniem: die moeten worden geïntegreerd."),
    (38, "artikel", "collectie", "22-11-2010", "Muziekcollectie: van cd naar streaming",
     "muziek, cd's, streaming, collectie",
     "De uitleen van cd's daalt snel. Sommige bibliotheken bouwen hun muziekcollectie af, "
     "andere zoeken aansluiting bij streamingdiensten. Een overzicht van de mogelijkheden."),
    (39, "artikel", "bedrijfsvoering", "06-12-2010", "Beleidsplan 2011: de hoofdlijnen",
     "beleidsplan, beleidsplan 2011, strategie",
     "In 2011 richt Bibliotheekhuis zich op drie speerpunten: leesbevordering en "
     "laaggeletterdheid, mediawijsheid en een efficiënter georganiseerde ondersteuning van de "
     "bibliotheken. De ideeën uit de werkconferentie zijn verwerkt."),
    (40, "nieuws", "ICT", "10-01-2011", "Proef met e-books in Sittard-Geleen",
     "e-books, proef, Sittard-Geleen",
     "De bibliotheek in Sittard-Geleen start een proef met het digitaal uitlenen van e-books. "
     "Leden kunnen honderd Nederlandstalige titels downloaden via de website."),
    (41, "artikel", "mediawijsheid", "24-01-2011", "Mediawijsheid voor senioren",
     "senioren, mediawijsheid, cursus, foto's",
     "Ouderen willen graag mee met de digitale wereld. Cursussen over e-mail, internetbankieren "
     "en digitale foto's zijn in de bibliotheek snel vol. Hoe organiseert u zo'n cursus?"),
    (42, "artikel", "educatie", "07-02-2011", "Monitor de Bibliotheek op school",
     "monitor, bibliotheek op school, onderzoek",
     "Met de monitor meten school en bibliotheek jaarlijks het leesgedrag en leesplezier van "
     "leerlingen. De resultaten vormen de basis voor het leesplan van het volgende schooljaar."),
    (43, "nieuws", "collectie", "21-02-2011", "Wisselcollecties Duitse jeugdboeken",
     "Duitse boeken, jeugd, wisselcollectie",
     "Voor scholen in de grensstreek stelt Bibliotheekhuis wisselcollecties Duitse jeugdboeken "
     "samen. De collecties zijn bedoeld voor het vak Duits in het voortgezet onderwijs."),
    (44, "artikel", "ICT", "07-03-2011", "De website als digitale vestiging",
     "website, digitale vestiging, contentbeheer",
     "Een bibliotheekwebsite moet meer zijn dan een digitale folder. Dit artikel beschrijft wat "
     "leden verwachten en hoe u met beperkte middelen een levendige site onderhoudt."),
    (45, "artikel", "leesbevordering", "21-03-2011", "Voorlezen aan anderstalige ouders",
     "voorlezen, anderstalige ouders, taal",
     "Veel ouders met een andere moedertaal durven niet voor te lezen in het Nederlands. Een "
     "voorleesproject met prentenboeken in meerdere talen helpt hen op weg, in de bibliotheek "
     "en thuis."),
    (46, "nieuws", "mediawijsheid", "04-04-2011", "Week van de Mediawijsheid in Roermond",
     "Week van de Mediawijsheid, Roermond, activiteiten",
     "Tijdens de Week van de Mediawijsheid organiseert de bibliotheek in Roermond een "
     "game-middag, een workshop veilig internetten en een debat met leerlingen."),
    (47, "artikel", "bedrijfsvoering", "18-04-2011", "Klanttevredenheid meten",
     "klanttevredenheid, onderzoek, kwaliteit",
     "Hoe tevreden zijn uw leden? Een klanttevredenheidsonderzoek geeft antwoord, mits goed "
     "opgezet. Bibliotheekhuis biedt een standaardvragenlijst en verwerkt de resultaten."),
    (48, "artikel", "bedrijfsvoering", "02-05-2011", "Open Bibliotheek: ook open zonder personeel",
     "open bibliotheek, zelfservice, openingstijden",
     "In Gulpen kunnen leden de vestiging sinds maart ook buiten de bemande uren gebruiken. Met "
     "hun pas openen zij de deur; camera's en zelfbedieningsautomaten doen de rest. Medewerkers "
     "zijn er alleen nog op drukke middagen."),
    (49, "artikel", "bedrijfsvoering", "16-05-2011", "Wat betekent de nieuwe wet voor bibliotheken?",
     "Wsob, wetgeving, provincie",
     "Het kabinet werkt aan een Wet stelsel openbare bibliotheekvoorzieningen. De wet legt de "
     "functies van de openbare bibliotheek vast en geeft provincies een eigen rol in het netwerk. "
     "Wat verandert er voor de Limburgse bibliotheken?"),
    (50, "nieuws", "ICT", "30-05-2011", "Privacy van leners: wat mag wel en niet?",
     "privacy, persoonsgegevens, ledenadministratie",
     "Mag een bibliotheek de leengeschiedenis van leden bewaren? Volgens de Wet bescherming "
     "persoonsgegevens bewaart u gegevens over wat iemand leest niet langer dan nodig, en nooit "
     "zonder dat het lid dat weet."),
)  # fmt: skip

#: Which dossier collects which articles.
DOSSIERS: dict[int, tuple[int, ...]] = {
    1: (2, 12, 19, 23, 36, 45),
    10: (11, 22, 40),
    20: (25, 34, 39, 47),
    31: (7, 14, 21, 26, 41, 46),
}

ATTACHMENTS: dict[int, tuple[Attachment, ...]] = {
    39: (
        Attachment(
            filename="beleidsplan-2011.pdf",
            title="Beleidsplan 2011 Bibliotheekhuis Limburg",
            paragraphs=(
                "Bibliotheekhuis Limburg ondersteunt de Limburgse bibliotheken bij hun vernieuwing. "
                "In 2011 werken wij efficiënter, dichter bij de bibliotheken en samen met Cubiss.",
                "Speerpunt 1: leesbevordering en laaggeletterdheid. Wij breiden de bibliotheek op "
                "school uit naar alle gemeenten en openen nieuwe taalpunten.",
                "Speerpunt 2: mediawijsheid. Iedere basisbibliotheek heeft eind 2011 een "
                "gecertificeerde mediacoach.",
                "Speerpunt 3: bedrijfsvoering. Door gezamenlijke inkoop en één Al@din-omgeving "
                "dalen de kosten. De ideeën uit de werkconferentie in Maastricht zijn verwerkt.",
            ),
        ),
    ),
    5: (
        Attachment(
            filename="handleiding-aladin-catalogus.pdf",
            title="Handleiding Al@din catalogus",
            paragraphs=(
                "Deze handleiding is bedoeld voor medewerkers van vestigingen die titels en "
                "exemplaren invoeren in Al@din.",
                "Stap 1: zoek eerst in de centrale catalogus of de titel al bestaat. Stap 2: koppel "
                "het exemplaar aan de titel met de barcode. Stap 3: controleer de plaatsingscode.",
            ),
        ),
    ),
    2: (
        Attachment(
            filename="handleiding-leesclub.pdf",
            title="Handleiding leesclubs organiseren",
            paragraphs=(
                "Een leesclub bestaat uit zes tot twaalf deelnemers die maandelijks een boek bespreken.",
                "Zorg voor een gespreksleider, een rustige ruimte, koffie en voldoende exemplaren. "
                "Leesclubpakketten zijn aan te vragen bij Bibliotheekhuis.",
            ),
        ),
    ),
    34: (
        Attachment(
            filename="jaarverslag-2009.pdf",
            title="Jaarverslag 2009 Bibliotheekhuis Limburg",
            paragraphs=(
                "In 2009 bezochten ruim twee miljoen mensen een Limburgse bibliotheek.",
                "Het aantal uitleningen daalde met drie procent; het bezoek aan de websites steeg "
                "met achttien procent. De samenwerking met scholen groeide sterk.",
            ),
        ),
    ),
    26: (
        Attachment(
            filename="lespakket-zoeken-en-vinden.pdf",
            title="Lespakket Zoeken en vinden",
            paragraphs=(
                "Les 1: wat wil je weten? Les 2: zoeken in de catalogus. Les 3: zoeken op internet. "
                "Les 4: is deze bron betrouwbaar?",
            ),
        ),
    ),
}
