"""Shared Dutch content of the demo sites: background paragraphs per theme, people.

Pure data for demo. Every hand-written page opens with its own lead
paragraph (content_ekic.py, content_bnb.py) and continues with background
paragraphs on its theme from here, the way consultants reuse their own texts.
"""

from __future__ import annotations

THEME_PARAGRAPHS: dict[str, tuple[str, ...]] = {
    "leesbevordering": (
        "Leesbevordering begint niet bij het boek maar bij de lezer. Wie kinderen wil laten lezen, "
        "moet weten wat ze bezighoudt: strips, voetbal, dieren, griezelverhalen. De bibliotheek "
        "kan daar met een gevarieerde collectie en enthousiaste medewerkers op inspelen.",
        "Onderzoek laat keer op keer zien dat voorlezen de woordenschat van jonge kinderen "
        "vergroot. Daarom investeren bibliotheken in BoekStart, voorleesexpresses en "
        "voorleesontbijten, vaak samen met consultatiebureaus en kinderdagverblijven.",
        "Een leesclub vraagt weinig geld maar wel een goede voorbereiding: een vaste "
        "gespreksleider, een ruimte met koffie, een leesplan voor het hele seizoen en "
        "voldoende exemplaren van elke titel. Leesclubpakketten zijn via de provinciale "
        "service-organisatie aan te vragen.",
        "Voor jongeren werkt leesbevordering het best als zij zelf iets te kiezen hebben. "
        "Jongerenjury's, boekentrailers en leesestafettes op school leveren meer op dan een "
        "verplichte boekenlijst.",
        "Laaggeletterdheid is een onderschat probleem: in Nederland hebben ruim anderhalf "
        "miljoen volwassenen moeite met lezen en schrijven. Bibliotheken werken samen met "
        "ROC's, welzijnsinstellingen en Stichting Lezen & Schrijven aan taalpunten en "
        "oefenmateriaal.",
    ),
    "mediawijsheid": (
        "Mediawijsheid is het geheel van kennis, vaardigheden en houding waarmee burgers zich "
        "bewust, kritisch en actief kunnen bewegen in een wereld vol media. Bibliotheken "
        "zien hier een nieuwe kerntaak, naast lezen en informatie.",
        "Kinderen groeien op met internet, mobiele telefoons en games, maar dat maakt ze nog "
        "niet mediawijs. Ze kunnen snel zoeken, maar beoordelen slecht of een bron betrouwbaar "
        "is. Een les van de bibliotheek over zoeken en vinden sluit daar precies op aan.",
        "Ouders hebben vaak vragen over sociale netwerken als Hyves en Facebook: vanaf welke "
        "leeftijd, wat zet je wel en niet online, wat doe je bij pesten? Een ouderavond in de "
        "bibliotheek, samen met de school, trekt doorgaans veel belangstelling.",
        "Het landelijke Mediawijzer.net stimuleert samenwerking tussen bibliotheken, scholen en "
        "omroepen. Provinciale service-organisaties vertalen die ideeën naar lespakketten en "
        "trainingen voor bibliotheekmedewerkers.",
        "Ook senioren willen mediawijs worden. Cursussen als 'Klik & Tik' en spreekuren over "
        "digitale foto's, e-mail en internetbankieren zijn in veel vestigingen snel volgeboekt.",
    ),
    "collectie": (
        "Collectiebeleid is meer dan aanschaffen: het gaat om afstemmen op de vraag, afvoeren "
        "wat niet meer wordt geleend en samenwerken met andere bibliotheken in de regio. Een "
        "gezamenlijke collectie maakt het mogelijk efficiënter in te kopen.",
        "De uitleencijfers van cd's en dvd's lopen al enkele jaren terug, terwijl de vraag naar "
        "e-books en luisterboeken groeit. Dat vraagt om scherpe keuzes in het aanschafbudget.",
        "Een klantgerichte presentatie doet wonderen: frontale opstellingen, thematafels en "
        "heldere bewegwijzering verhogen de uitleen, soms met tientallen procenten.",
        "Via de landelijke catalogus en het interbibliothecair leenverkeer kan een lener ook "
        "titels aanvragen die de eigen vestiging niet heeft. De provinciale transportdienst "
        "brengt ze binnen enkele dagen naar de gewenste vestiging.",
        "Bij het opschonen van de collectie helpt een vaste werkwijze: kijk naar de laatste "
        "uitleendatum, de staat van het boek en de actualiteit van de inhoud. Afgeschreven "
        "boeken vinden vaak nog een tweede leven in een boekenmarkt of het café om de hoek.",
    ),
    "educatie": (
        "De bibliotheek op school brengt de collectie naar de plek waar kinderen elke dag zijn. "
        "School en bibliotheek maken samen een leesplan, met vaste doelen en een jaarlijkse "
        "monitor van het leesplezier en het leesgedrag.",
        "Leerkrachten hebben weinig tijd. Lespakketten die direct bruikbaar zijn, met "
        "werkbladen en een duidelijke koppeling aan de kerndoelen, worden daarom veel beter "
        "gebruikt dan losse ideeën.",
        "Een leesconsulent van de bibliotheek adviseert de school over het leesbeleid, "
        "verzorgt ouderavonden en helpt de schoolbibliotheek op orde te brengen.",
        "Ook in het voortgezet onderwijs liggen kansen: profielwerkstukken, literatuurlijsten "
        "en informatievaardigheden zijn onderwerpen waarbij de bibliotheek leerlingen "
        "concreet verder helpt.",
        "Samenwerking met de kinderopvang en de voorschoolse educatie zorgt ervoor dat ook "
        "peuters al met boeken in aanraking komen, lang voordat ze zelf kunnen lezen.",
    ),
    "bedrijfsvoering": (
        "Door de bezuinigingen bij gemeenten staan veel bibliotheken voor moeilijke keuzes. "
        "Een heldere visie en goede cijfers over bereik en maatschappelijk effect helpen om "
        "het gesprek met de gemeente te voeren.",
        "Bibliotheekvernieuwing betekende de afgelopen jaren vooral schaalvergroting: kleine "
        "bibliotheken fuseerden tot basisbibliotheken met meerdere vestigingen en één "
        "professionele organisatie.",
        "Een goed beleidsplan beschrijft niet alleen ambities, maar ook de middelen, de "
        "planning en de manier waarop resultaten worden gemeten. Het is een afsprakenkader "
        "met gemeente, medewerkers en partners.",
        "Vrijwilligers zijn onmisbaar in veel vestigingen, maar vragen om begeleiding. Een "
        "vrijwilligersbeleid met duidelijke taken, scholing en waardering voorkomt onduidelijkheid.",
        "Benchmarking tussen bibliotheken, bijvoorbeeld met de landelijke monitor, laat zien "
        "waar een organisatie efficiënter kan werken en waar juist investeringen nodig zijn.",
    ),
    "ICT": (
        "Al@din is het gezamenlijke bibliotheeksysteem van de aangesloten bibliotheken. "
        "Catalogus, uitleenadministratie en ledenbestand worden centraal beheerd, zodat "
        "vestigingen zich op de klant kunnen richten.",
        "De komst van e-books vraagt om nieuwe afspraken met uitgevers over uitlenen, "
        "kopieerbeveiliging en prijzen. Ondertussen experimenteren bibliotheken met "
        "e-readers die leden kunnen lenen.",
        "Zelfbediening met RFID maakt medewerkers vrij voor advies en activiteiten. Bij de "
        "invoering is goede communicatie met het publiek belangrijk: niet iedereen vindt de "
        "uitleenautomaat vanzelfsprekend.",
        "Een website is pas een digitale vestiging als leden er meer kunnen dan de "
        "openingstijden opzoeken: reserveren, verlengen, tips van medewerkers lezen en "
        "vragen stellen via de chatdienst.",
        "Webredacteuren van bibliotheken wisselen via het netwerk ervaringen uit over "
        "contentbeheer, toegankelijkheid en zoekmachines, zodat niet iedere bibliotheek "
        "het wiel opnieuw hoeft uit te vinden.",
    ),
}

BNB_AUTHORS = (
    "Marieke van Dijk",
    "Joost Verhoeven",
    "Anouk de Bruijn",
    "Bart van den Heuvel",
    "Ellen Smits",
    "Ruud Jansen",
)

COMMENTERS = (
    "Petra (bibliotheek Oss)",
    "Henk Maas",
    "Sanne",
    "Bibliotheek Helmond-Peel",
    "Wim van Gerwen",
    "Anoniem",
    "Ingrid Peeters",
)

COMMENT_TEXTS = (
    "Mooi initiatief! Wij gaan dit in onze vestiging ook proberen.",
    "Herkenbaar verhaal. Bij ons liep het in het begin ook stroef, maar nu draait het goed.",
    "Is er ook materiaal beschikbaar voor kleinere vestigingen? Graag meer informatie.",
    "Dank voor het delen. Kun je de presentatie nog mailen?",
    "Goed om te lezen dat andere bibliotheken met dezelfde vragen worstelen.",
    "Wij hebben goede ervaringen met de aanpak uit België, misschien ook iets voor jullie?",
    "Leuk! De foto's van de bijeenkomst staan inmiddels op onze site.",
)
