"""The hand-written bnbibliotheek posts (Cubiss, Noord-Brabant): pure data.

Part of demo; ``sites.py`` turns each row into an Entry, adds background
paragraphs from content.THEME_PARAGRAPHS and some comments. Row: slug, published
(yyyy-mm-dd hh:mm), theme, title, labels, lead paragraph.
"""

from __future__ import annotations

ROWS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("welkom-op-bnbibliotheek", "2009-01-08 10:15", "bedrijfsvoering", "Welkom op bnbibliotheek",
     "bnbibliotheek, Cubiss",
     "Vanaf vandaag delen de consulenten van Cubiss hun kennis via deze blog. Wat werkt in de "
     "Brabantse bibliotheken, wat niet, en wat kunnen we van elkaar leren? Reageer gerust!"),
    ("leesclub-in-oss-bestaat-tien-jaar", "2009-01-22 14:05", "leesbevordering",
     "Leesclub in Oss bestaat tien jaar", "leesclubs, leesbevordering, Oss",
     "De leesclub van de bibliotheek in Oss vierde haar tienjarig bestaan met een taart en een "
     "bezoek van een schrijver. Tien jaar, honderd boeken, en nog steeds een wachtlijst."),
    ("e-books-hype-of-toekomst", "2009-02-05 09:40", "ICT", "E-books: hype of toekomst?",
     "e-books, ICT",
     "Op de Frankfurter Buchmesse ging het over niets anders. Maar lezen Brabanders straks echt "
     "van een scherm? Een paar gedachten na een middag testen met drie e-readers."),
    ("mediawijsheid-op-de-basisschool", "2009-02-19 16:20", "mediawijsheid",
     "Mediawijsheid op de basisschool", "mediawijsheid, basisschool, educatie",
     "Vorige week gaf ik een les mediawijsheid aan groep 8 in Veghel. De kinderen wisten alles "
     "van YouTube, maar niemand wist wie een Wikipedia-artikel schrijft. Een eyeopener."),
    ("bibliotheek-tilburg-opent-leescafe", "2009-03-04 11:00", "bedrijfsvoering",
     "Bibliotheek Tilburg opent leescafé", "Tilburg, bieb van de toekomst, ontmoetingsplek",
     "In de centrale bibliotheek van Tilburg is een leescafé geopend. Met een kop koffie en de "
     "krant van vandaag zit je er prima; het café is nu al de drukste plek van het gebouw."),
    ("collectieplan-brabant-2009", "2009-03-18 13:30", "collectie", "Collectieplan Brabant 2009",
     "collectiebeleid, collectie",
     "Samen met acht basisbibliotheken heeft Cubiss een provinciaal collectieplan opgesteld. "
     "Het doel: minder dubbel aanschaffen en meer uitwisselen tussen de vestigingen."),
    ("boekstart-in-eindhoven", "2009-04-02 10:45", "leesbevordering", "BoekStart in Eindhoven",
     "BoekStart, voorlezen, Eindhoven",
     "Sinds januari krijgen alle ouders van baby's in Eindhoven een uitnodiging voor BoekStart. "
     "Het consultatiebureau deelt de waardebonnen uit; de bibliotheek zorgt voor het koffertje."),
    ("laaggeletterdheid-de-verborgen-groep", "2009-04-16 15:10", "leesbevordering",
     "Laaggeletterdheid: de verborgen groep", "laaggeletterdheid, taal",
     "Laaggeletterden schamen zich vaak en zoeken zelf zelden hulp. Hoe bereik je ze dan? Een "
     "verslag van de studiedag in 's-Hertogenbosch, met sprekers van Stichting Lezen & Schrijven."),
    ("hyves-voor-bibliotheken", "2009-05-07 09:25", "ICT", "Hyves voor bibliotheken",
     "sociale media, Hyves, ICT",
     "Moet je als bibliotheek op Hyves? Wij denken van wel: daar zitten de jongeren. Drie "
     "Brabantse bibliotheken vertellen over hun ervaringen met een eigen hyve."),
    ("zomerlezen-actie-2009", "2009-06-11 14:00", "leesbevordering", "Zomerlezen actie 2009",
     "zomerlezen, jeugd, leesbevordering",
     "Dit jaar doen zestig Brabantse vestigingen mee aan de zomerleesactie. Kinderen die in de "
     "vakantie vijf boeken lezen, krijgen een diploma en een kleine verrassing."),
    ("bibliotheek-op-school-in-den-bosch", "2009-06-25 11:35", "educatie",
     "Bibliotheek op school in Den Bosch", "bibliotheek op school, 's-Hertogenbosch, educatie",
     "In Den Bosch starten na de zomer zes scholen met de bibliotheek op school. Een leesconsulent "
     "richt samen met de school een eigen schoolbibliotheek in en maakt een leesplan."),
    ("vrijwilligers-waarderen", "2009-08-27 10:10", "bedrijfsvoering", "Vrijwilligers waarderen",
     "vrijwilligers, bedrijfsvoering",
     "Tijdens de vrijwilligersdag in Helmond hoorde ik mooie verhalen. Vrijwilligers willen vooral "
     "serieus genomen worden: goede instructie, een vaste contactpersoon en af en toe een bedankje."),
    ("informatievaardigheden-in-het-vo", "2009-09-10 13:45", "educatie",
     "Informatievaardigheden in het voortgezet onderwijs", "informatievaardigheden, voortgezet onderwijs",
     "Leerlingen van havo en vwo moeten een profielwerkstuk schrijven, maar waar vind je "
     "betrouwbare bronnen? De bibliotheek in Breda ontwikkelde een workshop van twee uur."),
    ("nieuwe-website-cubiss", "2009-09-24 16:30", "ICT", "Nieuwe website Cubiss",
     "website, Cubiss, ICT",
     "De website van Cubiss is vernieuwd. Alle producten en diensten staan nu overzichtelijk bij "
     "elkaar en via deze blog blijf je op de hoogte van nieuws uit het netwerk."),
    ("kinderboekenweek-2009-tour-de-monde", "2009-10-08 09:15", "leesbevordering",
     "Kinderboekenweek 2009: Tour du monde", "Kinderboekenweek, jeugd, activiteiten",
     "Het thema van de Kinderboekenweek is dit jaar reizen. In Roosendaal reisden kinderen met "
     "een boekenpaspoort langs zes landen in de bibliotheek, van België tot Japan."),
    ("mediacoach-opleiding-gestart", "2009-10-22 14:50", "mediawijsheid", "Mediacoach-opleiding gestart",
     "mediacoach, mediawijsheid, training",
     "Twaalf medewerkers uit Brabantse bibliotheken begonnen deze week aan de opleiding tot "
     "mediacoach. Na afloop kunnen zij scholen en ouders adviseren over mediagebruik."),
    ("rfid-in-bergen-op-zoom", "2009-11-05 10:20", "ICT", "RFID in Bergen op Zoom",
     "RFID, zelfbediening, ICT",
     "De bibliotheek in Bergen op Zoom werkt sinds september met RFID. Vooral het inleveren gaat "
     "veel sneller; de medewerkers hebben nu meer tijd voor vragen van bezoekers."),
    ("bezuinigingen-in-brabant", "2009-11-19 15:40", "bedrijfsvoering", "Bezuinigingen in Brabant",
     "bezuinigingen, gemeente, bedrijfsvoering",
     "Steeds meer gemeenten in Brabant kondigen bezuinigingen op de bibliotheek aan. Wat kun je "
     "als bibliotheek doen? Een paar lessen uit gemeenten die het gesprek goed voerden."),
    ("voorleesontbijt-2010", "2010-01-21 08:30", "leesbevordering", "Voorleesontbijt 2010",
     "Nationale Voorleesdagen, voorlezen",
     "Ook dit jaar ontbeten bekende Brabanders met kleuters in de bibliotheek, om daarna voor "
     "te lezen. In Tilburg las de burgemeester voor uit 'Rokko Krokodil'."),
    ("digitale-fotos-voor-senioren", "2010-02-04 13:15", "mediawijsheid",
     "Digitale foto's voor senioren", "senioren, foto's, cursus, mediawijsheid",
     "De cursus 'Digitale foto's bewerken' voor 55-plussers in Oosterhout was binnen een week vol. "
     "Volgend seizoen komen er drie extra groepen."),
    ("aladin-en-brabant", "2010-02-18 11:05", "ICT", "Al@din en Brabant",
     "Al@din, bibliotheeksysteem, Limburg",
     "Het Limburgse Al@din-netwerk werkt met één centraal bibliotheeksysteem. Wat kunnen wij in "
     "Brabant leren van de Limburgse ervaringen? Een verslag van een werkbezoek aan Roermond."),
    ("leesclubs-voor-mannen", "2010-03-04 20:10", "leesbevordering", "Leesclubs voor mannen",
     "leesclubs, mannen, leesbevordering",
     "Leesclubs trekken vooral vrouwen. In Waalwijk probeert de bibliotheek het anders: een "
     "leesclub voor mannen, met thrillers, sportbiografieën en een biertje na afloop."),
    ("bieb-van-de-toekomst-werkconferentie", "2010-03-18 16:00", "bedrijfsvoering",
     "De bieb van de toekomst: verslag werkconferentie", "bieb van de toekomst, bibliotheekvernieuwing",
     "Hoe ziet de bibliotheek er in 2020 uit? Tijdens de werkconferentie in Eindhoven kwamen "
     "ideeën voorbij van digitale leeszalen tot bibliotheken in supermarkten."),
    ("boekentrailers-maken", "2010-04-08 14:25", "mediawijsheid", "Boekentrailers maken met jongeren",
     "boekentrailers, jongeren, mediawijsheid",
     "Jongeren maken in drie middagen een filmpje over hun favoriete boek. Het project in Uden "
     "combineert leesbevordering en mediawijsheid; de beste trailers staan op YouTube."),
    ("jaarverslag-cubiss-2009", "2010-04-22 10:00", "bedrijfsvoering", "Jaarverslag Cubiss 2009",
     "jaarverslag, Cubiss, cijfers",
     "Het jaarverslag 2009 is uit. Opvallend: het aantal scholen dat met de bibliotheek "
     "samenwerkt, is in een jaar verdubbeld."),
    ("e-readers-uitlenen-in-veldhoven", "2010-05-06 15:30", "ICT", "E-readers uitlenen in Veldhoven",
     "e-books, e-readers, Veldhoven",
     "Sinds april kun je in Veldhoven een e-reader lenen, met twintig boeken erop. De eerste "
     "reacties zijn positief, al vinden sommige leners het scherm wat klein."),
    ("anderstalige-collectie-brabant", "2010-05-20 09:50", "collectie", "Anderstalige collectie in Brabant",
     "anderstalige collectie, collectie",
     "Waar vind je in Brabant een boek in het Turks, Arabisch of Pools? Cubiss maakt een overzicht "
     "van alle anderstalige collecties, zodat vestigingen elkaar kunnen doorverwijzen."),
    ("taalcafe-in-helmond", "2010-06-03 19:45", "leesbevordering", "Taalcafé in Helmond",
     "laaggeletterdheid, taalcafé, Helmond",
     "Elke donderdagavond is er in de bibliotheek van Helmond een taalcafé. Nieuwkomers oefenen "
     "er Nederlands met vrijwilligers, onder het genot van koffie en een koekje."),
    ("zomer-in-de-bieb", "2010-07-01 12:00", "leesbevordering", "Zomer in de bieb",
     "zomerlezen, jeugd, activiteiten",
     "De zomervakantie is begonnen. Tijd voor de zomerleesactie, vakantiebieb en speurtochten "
     "door de bibliotheek. Wat doen jullie deze zomer?"),
    ("mediawijsheid-en-ouders", "2010-09-02 13:20", "mediawijsheid", "Mediawijsheid en ouders",
     "mediawijsheid, ouders, ouderavond",
     "Ouders maken zich zorgen over wat hun kinderen online doen. Een ouderavond in Boxtel trok "
     "tachtig bezoekers. Het draaiboek delen we graag met andere bibliotheken."),
    ("bibliotheek-op-school-tilburg-evaluatie", "2010-09-16 10:40", "educatie",
     "Bibliotheek op school in Tilburg: de eerste evaluatie", "bibliotheek op school, Tilburg, monitor",
     "Na een jaar bibliotheek op school in Tilburg lenen leerlingen twee keer zoveel boeken. "
     "Leerkrachten zijn enthousiast, al kost het beheer van de schoolbibliotheek meer tijd dan verwacht."),
    ("collectie-cds-afbouwen", "2010-09-30 15:55", "collectie", "Collectie cd's afbouwen?",
     "cd's, muziek, collectiebeleid",
     "De uitleen van cd's is in vijf jaar gehalveerd. Moeten we de muziekcollectie afbouwen, of "
     "juist vernieuwen? Een discussie die in veel Brabantse bibliotheken speelt."),
    ("twitter-voor-bibliothecarissen", "2010-10-14 11:25", "ICT", "Twitter voor bibliothecarissen",
     "sociale media, Twitter, ICT",
     "Steeds meer collega's twitteren. Handig om snel nieuws te delen, maar hoe houd je het "
     "professioneel? Tien tips voor bibliotheekmedewerkers op Twitter."),
    ("werkbezoek-bibliotheekhuis-limburg", "2010-10-28 17:10", "bedrijfsvoering",
     "Werkbezoek aan Bibliotheekhuis Limburg", "Limburg, Bibliotheekhuis, samenwerking",
     "Gisteren waren we met zes consulenten te gast bij Bibliotheekhuis in Roermond. Wat opvalt: "
     "zij lopen tegen dezelfde vragen aan als wij. Daar valt samen veel te winnen."),
    ("samenwerking-cubiss-en-bibliotheekhuis", "2010-11-11 14:32", "bedrijfsvoering",
     "Samenwerking Cubiss en Bibliotheekhuis", "samenwerking, Limburg, Bibliotheekhuis, eKIC",
     "Cubiss en Bibliotheekhuis Limburg hebben afgesproken zoveel mogelijk samen te werken. Bij "
     "de kennismaking lieten beide organisaties hun kennissystemen zien: bnbibliotheek en eKIC. "
     "De reactie was unaniem: deze twee systemen moeten worden geïntegreerd. Eén zoekvraag, "
     "antwoorden uit Brabant en Limburg."),
    ("leesbevordering-in-de-kinderopvang", "2010-11-25 10:05", "educatie",
     "Leesbevordering in de kinderopvang", "kinderopvang, voorlezen, peuters",
     "Pedagogisch medewerkers in de kinderopvang lezen vaak voor, maar hoe doe je dat zo dat "
     "peuters er echt van leren? Een training van twee dagdelen in Roosendaal."),
    ("beleidsplan-2011-cubiss", "2010-12-09 16:45", "bedrijfsvoering", "Beleidsplan 2011 Cubiss",
     "beleidsplan, beleidsplan 2011, strategie",
     "Het beleidsplan 2011 van Cubiss is vastgesteld. Speerpunten: de bibliotheek op school, "
     "mediawijsheid en een efficiënter ingerichte ondersteuning, samen met Bibliotheekhuis Limburg."),
    ("e-books-landelijk-platform", "2011-01-13 09:30", "ICT", "Landelijk platform voor e-books",
     "e-books, landelijk, ICT",
     "Er komt een landelijk platform voor het uitlenen van e-books. Wat betekent dat voor de "
     "Brabantse bibliotheken die nu zelf experimenteren?"),
    ("voorleeswedstrijd-brabant-finale", "2011-02-10 15:15", "leesbevordering",
     "Voorleeswedstrijd: Brabantse finale", "voorleeswedstrijd, jeugd, 's-Hertogenbosch",
     "In het Theater aan de Parade in 's-Hertogenbosch streden veertien kinderen om de titel "
     "beste voorlezer van Brabant. De winnares komt uit Best."),
    ("klik-en-tik-in-de-bibliotheek", "2011-02-24 11:50", "mediawijsheid", "Klik & Tik in de bibliotheek",
     "senioren, Klik & Tik, internet",
     "Met het programma Klik & Tik leren mensen die nog nooit achter een computer zaten, de "
     "eerste stappen op internet. Vrijwilligers begeleiden hen in de bibliotheek."),
    ("collectie-samen-met-limburg", "2011-03-10 14:10", "collectie", "Collectie samen met Limburg",
     "collectie, Limburg, samenwerking",
     "Na de samenwerkingsovereenkomst met Bibliotheekhuis onderzoeken we of Brabant en Limburg "
     "samen kunnen inkopen. Een gezamenlijke collectie maakt uitwisselen eenvoudiger."),
    ("bibliotheekvernieuwing-wat-nu", "2011-03-24 10:35", "bedrijfsvoering", "Bibliotheekvernieuwing: wat nu?",
     "bibliotheekvernieuwing, bezuinigingen, toekomst",
     "De bibliotheekvernieuwing is formeel afgerond, maar de vragen blijven. Hoe blijven "
     "bibliotheken relevant als gemeenten bezuinigen en lezers digitaal gaan?"),
    ("leesplan-basisschool-voorbeelden", "2011-04-07 13:00", "educatie", "Leesplan: voorbeelden uit de praktijk",
     "leesplan, basisschool, bibliotheek op school",
     "Hoe ziet een goed leesplan eruit? Drie Brabantse scholen laten hun leesplan zien, met "
     "doelen, activiteiten en de rol van de bibliotheek."),
    ("games-in-de-bibliotheek", "2011-04-21 16:25", "mediawijsheid", "Games in de bibliotheek",
     "games, jongeren, mediawijsheid",
     "Horen games in de bibliotheek? In Eindhoven zeggen ze volmondig ja. Op woensdagmiddag "
     "spelen kinderen er samen, en praten ze met een mediacoach over wat ze spelen."),
    ("kennisnetwerk-evaluatie", "2011-05-12 09:05", "ICT", "Een kennisnetwerk evalueren",
     "bnbibliotheek, kennisdeling, evaluatie",
     "Twee jaar bnbibliotheek: tijd voor een evaluatie. Wat werd het meest gelezen, waar werd op "
     "gereageerd, en hoe vinden collega's hun weg? Samen met eKIC willen we het zoeken verbeteren."),
    ("open-bibliotheek-in-boxmeer", "2011-05-26 10:30", "bedrijfsvoering",
     "Open bibliotheek in Boxmeer", "open bibliotheek, zelfservice, openingsuren",
     "Sinds deze maand is de vestiging in Boxmeer ook open op uren zonder personeel. Leden halen "
     "hun gereserveerde boeken op met hun pas; vrijwilligers kijken een paar keer per dag of alles "
     "in orde is."),
    ("auteursrecht-bij-voorlezen", "2011-06-09 14:00", "leesbevordering",
     "Auteursrecht bij voorlezen en filmpjes", "auteursrecht, voorlezen, YouTube",
     "Mag je een prentenboek voorlezen op YouTube? De Auteurswet is duidelijk: voor openbaar maken "
     "heb je toestemming van de uitgever nodig. Voorlezen in de bibliotheek zelf mag wel."),
    ("nieuwe-vestiging-rompert", "2011-06-23 11:15", "bedrijfsvoering",
     "Nieuwe vestiging in de Rompert", "'s-Hertogenbosch, huisvesting, vestiging",
     "De Bossche bibliotheek opent na de zomer een nieuwe vestiging in de wijk De Rompert in "
     "'s-Hertogenbosch. Het gebouw deelt de bibliotheek met een basisschool en een wijkcentrum."),
)  # fmt: skip
