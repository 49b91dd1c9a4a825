"""The Dutch demo course "Bekkenbodem in balans", as plain data for `manage.py seed_demo`.

The text is written for this app from the therapist's approach in DESIGN.md. Paragraphs are
wrapped here to fit the line length; `_md()` joins them again, so the therapist sees whole
paragraphs when she edits a lesson in the admin.
"""

import re
import textwrap

_BLOCK_START = re.compile(r"^(?:- |\d+\. |#+ )")


def _md(text):
    """Dedent, then join wrapped lines back into one line per paragraph or list item."""
    lines = []
    for line in textwrap.dedent(text).strip().splitlines():
        line = line.strip()
        if line and lines and lines[-1] and not _BLOCK_START.match(line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return "\n".join(lines)


LONG_HOLD = "long_hold"
QUICK_FLICKS = "quick_flicks"
POSTURE = "posture"
STRENGTH = "strength"


def _exercise(name, kind, hold, relax, repetitions, sets, rest, instructions):
    return {
        "name": name,
        "kind": kind,
        "hold_seconds": hold,
        "relax_seconds": relax,
        "repetitions": repetitions,
        "sets": sets,
        "rest_between_sets_seconds": rest,
        "instructions": _md(instructions),
    }


COURSE = {
    "slug": "bekkenbodem-in-balans",
    "title": "Bekkenbodem in balans",
    "summary": (
        "Een rustige cursus in zes stappen voor vrouwen met urineverlies, een verzakking of "
        "lage rugpijn: je bekkenbodem leren aanspannen én ontspannen, goed zitten, staan, "
        "lopen en bukken, en weer kracht opbouwen in je hele lichaam."
    ),
}


STEPS = [
    {
        "title": "Aanspannen en ontspannen",
        "introduction": (
            "In deze eerste stap leer je je bekkenbodemspieren voelen, bewust aanspannen en "
            "weer helemaal loslaten. Je gaat ook op je houding letten, want die twee horen bij "
            "elkaar."
        ),
        "lessons": [
            {
                "slug": "welkom-bekkenbodem-houding-en-rug",
                "title": "Welkom: je bekkenbodem, je houding en je rug",
                "summary": (
                    "Waarom urineverlies, een verzakking en lage rugpijn vaak samengaan, en hoe "
                    "deze cursus je stap voor stap helpt."
                ),
                "minutes": 10,
                "body": _md(
                    """
                    Fijn dat je er bent. In deze cursus werk je in je eigen tempo aan je
                    bekkenbodem, thuis en zonder dat iemand meekijkt. Misschien herken je
                    het: een beetje urineverlies als je hoest of lacht, een zwaar gevoel
                    onderin door een verzakking, en daarbij vaak een zeurende onderrug.

                    ## Hoe hangt dat samen?

                    Je bekkenbodem is een laag spieren onder in je bekken. Samen met je
                    buikspieren, je rugspieren en je ademhaling maakt hij je romp stevig.
                    Doet die bekkenbodem zijn werk minder goed, dan vangt de rest van je
                    lichaam dat op. Meestal gebeurt dat op een van twee manieren:

                    - **Te slap.** Je zakt onderuit in je stoel, zit met een bolle rug of
                    staat met je knieën helemaal op slot. Je buik en je bekkenbodem doen dan
                    steeds minder.
                    - **Te gespannen.** Uit angst om te lekken knijp je je billen, benen en
                    buik aan en trek je je onderrug hol. Dat voelt veilig, maar het zit je
                    bekkenbodem juist in de weg.

                    Allebei belasten ze je onderrug, en allebei maken ze het lekken op den
                    duur erger.

                    ## Waarom oefenen echt nodig is

                    Urineverlies verdwijnt niet uit zichzelf; zonder oefenen neemt het
                    meestal langzaam toe. Gelukkig is je bekkenbodem net als andere spieren
                    goed te trainen. Bij een blaas- of baarmoederverzakking werkt precies
                    dezelfde aanpak.

                    ## Zo is de cursus opgebouwd

                    1. Je bekkenbodem aanspannen en ontspannen, en je houding leren opmerken.
                    2. Zitten.
                    3. Staan.
                    4. Lopen.
                    5. Bukken en tillen.
                    6. Kracht in je hele lichaam.

                    Elke les gaat verder waar de vorige ophield. Neem er de tijd voor: kort
                    en regelmatig oefenen helpt meer dan af en toe heel hard.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Houdingscheck: hang of span je?",
                        POSTURE,
                        hold=30,
                        relax=15,
                        repetitions=3,
                        sets=1,
                        rest=0,
                        instructions="""
                        1. Ga staan zoals je altijd staat, het liefst voor een spiegel.
                        2. Merk op wat je ziet: staan je knieën op slot, hangt je buik naar
                        voren, knijp je je billen samen?
                        3. Adem rustig uit en laat je billen, buik en schouders zakken.
                        4. Blijf zo 30 seconden staan en voel hoe je gewicht over je voeten
                        verdeeld is.
                        5. Loop even rond en doe de check nog twee keer.
                        """,
                    ),
                ],
                "images": [
                    {
                        "file": "two-patterns.png",
                        "alt_text": (
                            "Drie staande vrouwfiguren van opzij: links onderuitgezakt met een "
                            "ronde rug en knieën op slot, in het midden stijf met een holle "
                            "onderrug, rechts ontspannen rechtop met zachte knieën."
                        ),
                        "caption": "Te slap, te gespannen en in balans.",
                    },
                ],
            },
            {
                "slug": "bekkenbodem-vinden-en-aanspannen",
                "title": "Je bekkenbodem vinden en aanspannen",
                "summary": (
                    "Je leert voelen waar je bekkenbodem zit en hoe je hem rustig aanspant "
                    "zonder dat andere spieren meedoen."
                ),
                "minutes": 15,
                "body": _md(
                    """
                    Je bekkenbodem ligt als een hangmat tussen je schaambeen, je stuitje en
                    je twee zitbotjes. Hij draagt je blaas, je baarmoeder en je darm, en
                    sluit de plasbuis en de anus af wanneer dat nodig is. Omdat je hem niet
                    kunt zien, is het in het begin vaak lastig te voelen of je de goede
                    spieren gebruikt.

                    ## Zo vind je de spieren

                    Lig op je rug met je knieën gebogen, of zit rechtop op een stevige stoel.
                    Stel je voor dat je een wind wilt tegenhouden en tegelijk je plas wilt
                    ophouden. Je voelt dan een kleine beweging naar binnen en omhoog, rond de
                    vagina en de anus. Dat is je bekkenbodem.

                    **Let op:** onderbreek niet echt je plas om te oefenen. Het is alleen een
                    beeld om de beweging te vinden; als je het vaak doet, kan het leegplassen
                    verstoord raken.

                    ## Wat níet meedoet

                    - Je billen blijven zacht.
                    - De binnenkant van je dijen knijpt niet mee.
                    - Je onderbuik mag licht meebewegen, maar je trekt hem niet hard in.
                    - Je adem loopt gewoon door. Merk je dat je hem vasthoudt, begin dan
                    opnieuw.

                    ## Rustig opbouwen

                    Begin met kort aanspannen en lang loslaten. Kun je acht seconden
                    vasthouden zonder dat er iets meedoet, dan is dat de dosering van de
                    oefening hieronder. Lukt dat nog niet, houd dan zo lang vast als het goed
                    gaat en bouw de komende weken op. Laat na elke keer alles helemaal los:
                    dat loslaten hoort bij de oefening.

                    Twijfel je of je het goed doet, of doet het pijn? Vraag het gerust aan je
                    bekkenfysiotherapeut. Dat is heel gewoon.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Lang aanspannen (liggend)",
                        LONG_HOLD,
                        hold=8,
                        relax=8,
                        repetitions=8,
                        sets=3,
                        rest=60,
                        instructions="""
                        1. Lig op je rug met je knieën gebogen en je voeten plat op de grond.
                        2. Adem rustig in en laat je buik zacht.
                        3. Span bij een uitademing je bekkenbodem aan: naar binnen en omhoog,
                        alsof je plas en wind tegelijk ophoudt.
                        4. Houd 8 seconden vast en blijf gewoon doorademen.
                        5. Laat 8 seconden helemaal los en voel de spieren terugzakken.
                        6. Doe dit 8 keer, rust een minuut en doe in totaal 3 series.
                        """,
                    ),
                ],
                "images": [
                    {
                        "file": "pelvis-hammock.png",
                        "alt_text": (
                            "Tekening van een bekken van voren gezien. Onderin hangt de "
                            "bekkenbodem als een oranjebruine hangmat; groene pijlen laten "
                            "zien dat hij bij aanspannen naar binnen en omhoog beweegt."
                        ),
                        "caption": "Je bekkenbodem: een hangmat van spieren onder in je bekken.",
                    },
                ],
            },
            {
                "slug": "bekkenbodem-loslaten-en-snel-aanspannen",
                "title": "Loslaten en snel aanspannen",
                "summary": (
                    "Je oefent het volledig ontspannen van je bekkenbodem en leert korte, "
                    "snelle aanspanningen."
                ),
                "minutes": 15,
                "body": _md(
                    """
                    Een sterke bekkenbodem staat niet de hele dag vast. Een gezonde spier
                    spant aan wanneer het nodig is en ontspant daarna weer helemaal. Veel
                    vrouwen met urineverlies houden ongemerkt juist te veel spanning vast. Een
                    spier die al aangespannen staat, heeft geen ruimte meer om extra te
                    knijpen op het moment dat je hoest of tilt.

                    ## De vuistregel

                    Ontspan altijd minstens zo lang als je aanspant. Houd je acht seconden
                    vast, geef je bekkenbodem daarna ook acht seconden of langer om los te
                    laten. Voel hoe de spieren terugzakken naar hun rustplek; soms voelt dat
                    als een zachte opening.

                    ## Je adem als hulp

                    Bij een rustige inademing zakt je middenrif en beweegt je bekkenbodem een
                    klein beetje mee naar beneden. Bij de uitademing veert hij terug. Gebruik
                    die beweging:

                    - Adem in door je neus en laat je buik en bekkenbodem zacht worden.
                    - Adem uit door licht getuite lippen en laat alles vanzelf terugveren.
                    - Doe dit een paar keer voordat je begint met oefenen.

                    ## Snelle aanspanningen

                    Naast lang vasthouden heeft je bekkenbodem snelheid nodig: bij een nies of
                    een plotselinge hoest moet hij in een fractie van een seconde sluiten.
                    Daarom oefen je ook korte, snelle knijpjes. Span stevig aan, laat meteen
                    helemaal los en wacht even voor de volgende. Wordt het rommelig of doen je
                    billen mee, ga dan wat langzamer.

                    **Blijf ademen**, ook bij de snelle knijpjes. Met de lange en de snelle
                    oefening samen heb je de basis die je in alle volgende stappen gebruikt.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Kort aanspannen, lang loslaten",
                        LONG_HOLD,
                        hold=5,
                        relax=10,
                        repetitions=8,
                        sets=2,
                        rest=60,
                        instructions="""
                        1. Lig op je rug met je knieën gebogen, of zit rechtop op een stoel.
                        2. Span bij een uitademing je bekkenbodem aan en houd 5 seconden vast.
                        3. Laat daarna 10 seconden bewust los: voel de spieren zakken en je
                        buik zacht worden.
                        4. Adem tijdens het loslaten rustig in en uit.
                        5. Doe dit 8 keer, rust een minuut en doe nog een serie.
                        """,
                    ),
                    _exercise(
                        "Snelle knijpjes",
                        QUICK_FLICKS,
                        hold=1,
                        relax=2,
                        repetitions=10,
                        sets=3,
                        rest=60,
                        instructions="""
                        1. Lig of zit ontspannen en adem rustig door.
                        2. Span je bekkenbodem snel en stevig aan, 1 seconde.
                        3. Laat meteen helemaal los en wacht 2 seconden.
                        4. Doe dit 10 keer achter elkaar.
                        5. Rust een minuut en doe in totaal 3 series.
                        """,
                    ),
                ],
                "images": [],
            },
        ],
    },
    {
        "title": "Zitten",
        "introduction": (
            "Je zit waarschijnlijk vele uren per dag. In deze stap leer je zitten op een manier "
            "die je rug ontlast en je bekkenbodem laat meewerken, zonder dat het moeite kost."
        ),
        "lessons": [
            {
                "slug": "rechtop-zitten-op-je-zitbotjes",
                "title": "Rechtop zitten op je zitbotjes",
                "summary": (
                    "Je ontdekt het verschil tussen onderuitgezakt, kaarsrecht en ontspannen "
                    "rechtop zitten."
                ),
                "minutes": 10,
                "body": _md(
                    """
                    Kijk eens hoe je op dit moment zit. Grote kans dat je wat onderuit hangt,
                    met je bekken naar achteren gekanteld en een ronde rug. Je gewicht rust
                    dan op je stuitje en je bekkenbodem in plaats van op je zitbotjes. Je
                    buik en bekkenbodem hoeven bijna niets te doen, en na een tijdje doen ze
                    ook echt minder. Dat maakt lekken op den duur erger en vermoeit je
                    onderrug.

                    Het andere uiterste zie je ook vaak: kaarsrecht met een holle onderrug,
                    de borst vooruit en de buik vast. Dat houdt niemand lang vol, en het
                    geeft veel spanning rond je bekken.

                    ## De middenweg

                    1. Zit op een stevige stoel met je voeten plat op de grond, op heupbreedte.
                    2. Schuif je handen onder je billen en voel de twee botjes waarop je zit:
                    je zitbotjes.
                    3. Rol je bekken een paar keer rustig naar voren en naar achteren, en zoek
                    het midden waar je precies op die botjes balanceert.
                    4. Laat je borstbeen een beetje omhoog komen en je schouders zakken.
                    5. Stel je voor dat je kruin zacht naar het plafond groeit.

                    Zo zit je rechtop met weinig spierkracht. Je rug draagt zichzelf, je buik
                    is niet slap en ook niet vastgezet, en je bekkenbodem ligt op een plek
                    waar hij goed kan werken.

                    ## Tips voor de dag

                    - Zet allebei je voeten neer; met gekruiste benen zak je sneller onderuit.
                    - Op een diepe bank helpt een opgerolde handdoek in je onderrug.
                    - Sta elk half uur even op. Niemand zit de hele dag perfect, en dat hoeft
                    ook niet.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Bekken kantelen en het midden vinden",
                        POSTURE,
                        hold=5,
                        relax=5,
                        repetitions=10,
                        sets=2,
                        rest=30,
                        instructions="""
                        1. Zit op het voorste deel van een stevige stoel, voeten plat op de
                        grond.
                        2. Kantel je bekken naar achteren, zodat je rug rond wordt, en blijf
                        5 seconden zo.
                        3. Kantel daarna naar voren, zodat je onderrug iets hol wordt, en blijf
                        5 seconden zo.
                        4. Zoek steeds rustiger het midden, waar je precies op je zitbotjes
                        zit.
                        5. Doe dit 10 keer, rust even en doe nog een serie.
                        """,
                    ),
                    _exercise(
                        "Ontspannen rechtop blijven zitten",
                        POSTURE,
                        hold=60,
                        relax=20,
                        repetitions=3,
                        sets=1,
                        rest=0,
                        instructions="""
                        1. Zoek het midden op je zitbotjes, zoals in de vorige oefening.
                        2. Laat je schouders zakken en je kruin naar het plafond groeien.
                        3. Blijf een minuut zo zitten en adem rustig naar je buik.
                        4. Zak daarna 20 seconden bewust even onderuit en voel het verschil.
                        5. Kom weer rechtop en doe dit in totaal 3 keer.
                        """,
                    ),
                ],
                "images": [
                    {
                        "file": "sitting.png",
                        "alt_text": (
                            "Twee vrouwfiguren op een stoel, van opzij gezien: links "
                            "onderuitgezakt met een ronde rug en het hoofd naar voren, rechts "
                            "ontspannen rechtop op de zitbotjes met de voeten plat op de grond."
                        ),
                        "caption": "Onderuitgezakt en ontspannen rechtop op je zitbotjes.",
                    },
                ],
            },
            {
                "slug": "bekkenbodem-oefenen-in-zit",
                "title": "Je bekkenbodem oefenen terwijl je zit",
                "summary": (
                    "Je neemt de oefeningen uit stap 1 mee naar de stoel, zodat je ze overal "
                    "kunt doen."
                ),
                "minutes": 12,
                "body": _md(
                    """
                    Liggend voel je je bekkenbodem het makkelijkst, omdat hij dan niet tegen
                    de zwaartekracht in hoeft te werken. Zittend is het meer werk, en juist
                    daarom ga je het nu oefenen. Het mooie is: niemand ziet het. Je kunt
                    oefenen aan de keukentafel, in de trein of tijdens een telefoongesprek.

                    ## Goed beginnen

                    Zit eerst rechtop op je zitbotjes, zoals in de vorige les. Voel het
                    contact tussen de stoel en de zachte ruimte tussen die botjes. Als je je
                    bekkenbodem aanspant, komt die ruimte een heel klein beetje omhoog, weg
                    van de stoel. Bij het loslaten zakt hij weer terug.

                    ## Waar je op let

                    - Je komt niet omhoog uit de stoel: je billen blijven zacht.
                    - Je rug houdt dezelfde vorm; je trekt hem niet hol.
                    - Je schouders en je kaak blijven ontspannen.
                    - Je blijft ademen. Tel zachtjes hardop als je merkt dat je je adem
                    inhoudt.

                    ## Hoe vaak

                    Oefen in deze periode ongeveer **drie keer per dag**. Het helpt om de
                    oefeningen te koppelen aan iets wat je toch al doet, zoals je
                    ochtendkoffie, de lunch of het journaal. Met een vast moment hoef je er
                    niet steeds zelf aan te denken.

                    Voel je zittend nog weinig? Oefen dan nog een week liggend en probeer het
                    daarna opnieuw. Iedereen heeft een eigen tempo, en dat is helemaal goed.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Lang aanspannen in zit",
                        LONG_HOLD,
                        hold=8,
                        relax=8,
                        repetitions=8,
                        sets=3,
                        rest=60,
                        instructions="""
                        1. Zit rechtop op je zitbotjes, voeten plat op de grond.
                        2. Span bij een uitademing je bekkenbodem aan: weg van de stoel,
                        naar binnen en omhoog.
                        3. Houd 8 seconden vast en adem rustig door.
                        4. Laat 8 seconden helemaal los.
                        5. Doe dit 8 keer, rust een minuut en doe in totaal 3 series.
                        """,
                    ),
                    _exercise(
                        "Snelle knijpjes in zit",
                        QUICK_FLICKS,
                        hold=1,
                        relax=2,
                        repetitions=10,
                        sets=2,
                        rest=60,
                        instructions="""
                        1. Zit rechtop op je zitbotjes en adem rustig.
                        2. Span je bekkenbodem snel en stevig aan, 1 seconde.
                        3. Laat meteen los en wacht 2 seconden.
                        4. Doe dit 10 keer, rust een minuut en doe nog een serie.
                        """,
                    ),
                ],
                "images": [],
            },
        ],
    },
    {
        "title": "Staan",
        "introduction": (
            "Staan lijkt vanzelf te gaan, maar juist in stand verliezen veel vrouwen urine. Je "
            "leert staan met zachte knieën, een ontspannen buik en een bekkenbodem die mee kan "
            "doen."
        ),
        "lessons": [
            {
                "slug": "staan-met-zachte-knieen",
                "title": "Staan met zachte knieën",
                "summary": (
                    "Je leert staan zonder je knieën op slot te zetten of je onderrug hol te "
                    "trekken."
                ),
                "minutes": 10,
                "body": _md(
                    """
                    Veel vrouwen staan met hun knieën helemaal gestrekt, op slot. Het bekken
                    schuift dan naar voren, de bovenrug leunt naar achteren en de onderrug
                    wordt hol. Je hangt dan in je gewrichten en banden, in plaats van dat je
                    spieren je dragen. Dat kost weinig moeite, maar je onderrug krijgt het
                    zwaar en je bekkenbodem wordt lui.

                    Anderen staan juist stijf: billen aangeknepen, buik ingetrokken,
                    schouders hoog. Ook dat gaat ten koste van je bekkenbodem, die tussen al
                    die spanning geen ruimte meer heeft om te reageren.

                    ## Zo vind je een goede stand

                    1. Zet je voeten op heupbreedte, de tenen iets naar buiten.
                    2. Verdeel je gewicht over je hele voet: je hak, de bal van je grote teen
                    en de bal van je kleine teen.
                    3. Buig je knieën een heel klein beetje, net genoeg om ze van het slot te
                    halen.
                    4. Laat je bekken in het midden: niet naar voren geduwd, niet naar
                    achteren gekanteld.
                    5. Laat je ribben rustig boven je bekken rusten en je schouders zakken.
                    6. Adem een paar keer rustig in en uit, tot in je buik.

                    ## Het verschil voelen

                    Zet je knieën eens bewust op slot en let op wat er in je onderrug
                    gebeurt. Haal ze daarna weer van het slot. De meeste vrouwen voelen dan
                    hun buik en bekkenbodem zachtjes aan het werk gaan, zonder dat ze er iets
                    voor hoeven te doen.

                    Gebruik deze stand bij het afwassen, in de rij bij de kassa of bij de
                    bushalte. Juist die gewone momenten maken het verschil.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Knieën van het slot",
                        POSTURE,
                        hold=20,
                        relax=10,
                        repetitions=5,
                        sets=1,
                        rest=0,
                        instructions="""
                        1. Sta met je voeten op heupbreedte, het liefst voor een spiegel.
                        2. Zet je knieën bewust op slot en voel je onderrug.
                        3. Buig je knieën een heel klein beetje en laat je bekken naar het
                        midden komen.
                        4. Blijf 20 seconden zo staan en adem rustig door.
                        5. Ontspan 10 seconden, loop een paar passen en doe het 5 keer.
                        """,
                    ),
                    _exercise(
                        "Lang aanspannen in stand",
                        LONG_HOLD,
                        hold=8,
                        relax=8,
                        repetitions=8,
                        sets=3,
                        rest=60,
                        instructions="""
                        1. Sta met zachte knieën en je gewicht over je hele voet.
                        2. Span bij een uitademing je bekkenbodem aan, naar binnen en omhoog.
                        3. Houd 8 seconden vast; je billen en buik blijven zacht.
                        4. Laat 8 seconden helemaal los.
                        5. Doe dit 8 keer, rust een minuut en doe in totaal 3 series.
                        """,
                    ),
                ],
                "images": [
                    {
                        "file": "standing.png",
                        "alt_text": (
                            "Twee staande vrouwfiguren van opzij: links met de knieën op slot, "
                            "het bekken naar voren en een holle onderrug, rechts rechtop met "
                            "licht gebogen, zachte knieën."
                        ),
                        "caption": "Knieën op slot, en staan met zachte knieën.",
                    },
                ],
            },
            {
                "slug": "opstaan-uit-een-stoel",
                "title": "Opstaan uit een stoel",
                "summary": (
                    "Je leert opstaan met een uitademing en een actieve bekkenbodem, zodat je "
                    "niet lekt als je overeind komt."
                ),
                "minutes": 12,
                "body": _md(
                    """
                    Voor veel vrouwen is opstaan een moment waarop er een beetje urine
                    ontsnapt. Als je overeind komt, stijgt de druk in je buik. Houd je dan je
                    adem vast en pers je, dan duw je die druk naar beneden, recht op je
                    bekkenbodem af.

                    ## Uitademen op het zware moment

                    Voor deze les en alle volgende geldt: **adem uit op het zwaarste moment**.
                    Bij een uitademing veert je bekkenbodem vanzelf een beetje omhoog en
                    zakt de druk in je buik. Span je daarbij je bekkenbodem licht aan, dan
                    krijgen je blaas en baarmoeder extra steun.

                    ## Zo sta je op

                    1. Schuif naar het voorste deel van de stoel.
                    2. Zet je voeten iets achter je knieën, op heupbreedte.
                    3. Adem rustig in.
                    4. Span je bekkenbodem licht aan en begin uit te ademen.
                    5. Buig met een lange rug vanuit je heupen naar voren, tot je neus
                    ongeveer boven je tenen is.
                    6. Duw jezelf via je voeten omhoog tot je staat en adem verder uit.
                    7. Sta met zachte knieën en laat je bekkenbodem weer los.

                    Gaan zitten gaat andersom: met een lange rug en gebogen knieën, rustig,
                    zonder je te laten vallen.

                    ## Tip

                    Zet gerust je handen op je dijen als steun. Het gaat erom dat de beweging
                    rustig en gecontroleerd gaat, niet dat je het zonder handen kunt. Na een
                    paar weken merk je vaak dat opstaan vanzelf lichter wordt.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Opstaan en gaan zitten",
                        STRENGTH,
                        hold=3,
                        relax=3,
                        repetitions=8,
                        sets=2,
                        rest=60,
                        instructions="""
                        1. Zit op het voorste deel van een stevige stoel, voeten iets achter
                        je knieën.
                        2. Adem in, span je bekkenbodem licht aan en begin uit te ademen.
                        3. Buig met een lange rug naar voren en kom in 3 tellen overeind.
                        4. Ga in 3 tellen weer rustig zitten en laat je bekkenbodem los.
                        5. Doe dit 8 keer, rust een minuut en doe nog een serie.
                        """,
                    ),
                ],
                "images": [],
            },
        ],
    },
    {
        "title": "Lopen",
        "introduction": (
            "Bij elke stap die je zet, veert je bekkenbodem een klein beetje mee. In deze stap "
            "oefen je ontspannen en rechtop lopen, en leer je op tijd aanspannen als je hoest "
            "of niest."
        ),
        "lessons": [
            {
                "slug": "ontspannen-en-rechtop-lopen",
                "title": "Ontspannen en rechtop lopen",
                "summary": "Je loopt lang en soepel, zonder je billen of buik vast te zetten.",
                "minutes": 15,
                "body": _md(
                    """
                    Bij elke stap komt er een klein schokje door je lichaam. Een goed
                    werkende bekkenbodem vangt dat vanzelf op: hij spant licht aan als je
                    voet neerkomt en ontspant weer. Dat gaat helemaal automatisch, zolang je
                    houding het toelaat.

                    Loop je voorovergebogen met een ronde rug, dan zakt de druk in je buik
                    naar beneden. Loop je juist met aangeknepen billen en een ingetrokken
                    buik, dan kan je bekkenbodem niet meer soepel meebewegen. In beide
                    gevallen lek je makkelijker en raakt je onderrug vermoeid.

                    ## Zo loop je lang en los

                    - Begin in je goede stand: voeten op heupbreedte, zachte knieën.
                    - Kijk vooruit, niet naar de grond.
                    - Laat je armen losjes meezwaaien; dat geeft je romp een natuurlijke
                    draai.
                    - Zet je hak neer en rol af over je hele voet.
                    - Houd je billen en je buik zacht. Je hoeft niets vast te houden.
                    - Adem rustig, in je eigen ritme.

                    ## Rustig opbouwen

                    Begin met korte stukjes van een paar minuten waarin je bewust op je
                    houding let. Loop daarna gewoon verder en vraag jezelf af en toe af: hang
                    ik, of span ik? Tien minuten wandelen per dag is al een mooi begin. Bouw
                    in een paar weken op naar een half uur.

                    Verlies je urine tijdens het lopen, ga dan niet sneller of gespannener
                    lopen. Vertraag juist, kijk naar je houding en span je bekkenbodem een
                    paar keer kort aan. Schrijf het op in je dagboek; zo zie je de komende
                    weken je vooruitgang.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Bewust lopen",
                        POSTURE,
                        hold=120,
                        relax=30,
                        repetitions=3,
                        sets=1,
                        rest=0,
                        instructions="""
                        1. Sta met zachte knieën en kijk vooruit.
                        2. Loop 2 minuten in een rustig tempo, met losse armen en zachte
                        billen.
                        3. Rol bij elke stap af van hak naar tenen.
                        4. Loop daarna 30 seconden gewoon, zonder op te letten.
                        5. Doe dit 3 keer, binnen of buiten.
                        """,
                    ),
                ],
                "images": [
                    {
                        "file": "walking.png",
                        "alt_text": (
                            "Een vrouwfiguur wandelt rechtop over een pad, met losse armen en "
                            "een lange rug, in een rustig landschap met heuvels en een zon."
                        ),
                        "caption": "Lang en los lopen, in je eigen tempo.",
                    },
                ],
            },
            {
                "slug": "op-tijd-aanspannen-bij-hoesten-en-niezen",
                "title": "Op tijd aanspannen: hoesten, niezen en lachen",
                "summary": (
                    "Je leert je bekkenbodem net iets eerder aan te spannen dan de druk komt."
                ),
                "minutes": 12,
                "body": _md(
                    """
                    Hoesten, niezen, lachen en springen zetten in een oogwenk veel druk op je
                    bekkenbodem. Op die momenten verliezen veel vrouwen een beetje urine. De
                    oplossing is niet om de hele dag alles vast te houden, maar om je
                    bekkenbodem precies op tijd te laten sluiten: net voordat de druk komt.

                    ## Knijpen voordat het komt

                    Je voelt een nies of hoest aankomen, je spant je bekkenbodem snel en
                    stevig aan, en je houdt die aanspanning vast tot de hoest voorbij is.
                    Daarna laat je weer helemaal los. In het Engels heet dit wel 'the knack'.

                    In het begin moet je er bewust aan denken. Na een paar weken oefenen gaat
                    het steeds meer vanzelf. Bij veel vrouwen vermindert deze eenvoudige
                    gewoonte het lekken bij hoesten al merkbaar.

                    ## Extra tips

                    - Draai bij hoesten of niezen je hoofd opzij en iets omhoog, in plaats
                    van voorover te klappen. Voorovergebogen komt er meer druk op je
                    bekkenbodem.
                    - Sta met zachte knieën, of ga even zitten als je een hoestbui voelt
                    aankomen.
                    - Oefen eerst met een klein kuchje: kuch zachtjes terwijl je bekkenbodem
                    al aangespannen is.
                    - Span onderweg ook even kort aan als je een stoeprand op stapt of een
                    trap afloopt.

                    ## Geduld

                    Vergeet je het soms? Dat is heel normaal. Elke keer dat je er wel aan
                    denkt, train je de verbinding tussen je hoofd en je bekkenbodem. Die
                    verbinding wordt met de weken sterker.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Snelle knijpjes in stand",
                        QUICK_FLICKS,
                        hold=1,
                        relax=2,
                        repetitions=10,
                        sets=3,
                        rest=60,
                        instructions="""
                        1. Sta met zachte knieën en adem rustig.
                        2. Span je bekkenbodem snel en stevig aan, 1 seconde.
                        3. Laat meteen los en wacht 2 seconden.
                        4. Doe dit 10 keer, rust een minuut en doe in totaal 3 series.
                        """,
                    ),
                    _exercise(
                        "Eerst knijpen, dan kuchen",
                        LONG_HOLD,
                        hold=3,
                        relax=6,
                        repetitions=5,
                        sets=2,
                        rest=60,
                        instructions="""
                        1. Sta of zit rechtop.
                        2. Span je bekkenbodem snel en stevig aan.
                        3. Kuch zachtjes één keer terwijl je de aanspanning vasthoudt,
                        ongeveer 3 seconden in totaal.
                        4. Laat daarna 6 seconden helemaal los.
                        5. Doe dit 5 keer, rust een minuut en doe nog een serie.
                        """,
                    ),
                ],
                "images": [],
            },
        ],
    },
    {
        "title": "Bukken en tillen",
        "introduction": (
            "Iets van de grond rapen, de wasmand tillen, een kleinkind optillen: het hoort bij "
            "elke dag. Je leert bukken met gebogen knieën en tillen zonder te persen, zodat je "
            "rug en je bekkenbodem beschermd zijn."
        ),
        "lessons": [
            {
                "slug": "bukken-met-gebogen-knieen",
                "title": "Bukken met gebogen knieën",
                "summary": (
                    "Je leert bukken vanuit je heupen en knieën met een lange rug, in plaats "
                    "van krom voorover te hangen."
                ),
                "minutes": 12,
                "body": _md(
                    """
                    De meeste mensen bukken door hun rug rond te maken en met gestrekte benen
                    voorover te hangen. Dat doe je vele keren per dag: een sok oprapen, de
                    vaatwasser uitruimen, iets uit een lage kast pakken. Je onderrug doet dan
                    bijna al het werk, en omdat je buik wordt samengedrukt, gaat de druk naar
                    beneden, op je bekkenbodem.

                    ## Scharnieren vanuit je heupen

                    Bij goed bukken scharnier je vanuit je heupen. Je billen gaan naar
                    achteren, alsof je met je billen een deur dicht wilt duwen, en je knieën
                    buigen mee. Je rug blijft lang: niet hol en niet rond. Zo delen je benen,
                    billen en romp het werk.

                    ## Zo buk je

                    1. Ga dicht bij het voorwerp staan, voeten op heupbreedte of iets breder.
                    2. Adem in.
                    3. Span je bekkenbodem licht aan en adem uit terwijl je buigt.
                    4. Breng je billen naar achteren en buig je knieën. Je rug blijft lang en
                    je kijkt ongeveer een meter voor je uit.
                    5. Pak het voorwerp, adem verder uit en kom met je benen omhoog.
                    6. Sta weer met zachte knieën en laat los.

                    Voor heel lage dingen kun je ook op één knie zakken. Dat is prima en vaak
                    zelfs makkelijker.

                    ## Kleine gewoontes

                    - Zet wat je vaak gebruikt op heuphoogte, dan hoef je minder te bukken.
                    - Ga bij lage klusjes liever op een krukje zitten of op je knieën.
                    - Neem de tijd. Haast maakt dat je terugvalt in oude gewoontes.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Heupscharnier met een bezemsteel",
                        POSTURE,
                        hold=3,
                        relax=3,
                        repetitions=8,
                        sets=2,
                        rest=60,
                        instructions="""
                        1. Houd een bezemsteel op je rug, zodat hij je achterhoofd, je
                        bovenrug en je stuitje raakt.
                        2. Sta met je voeten op heupbreedte en zachte knieën.
                        3. Adem uit en buig in 3 tellen vanuit je heupen naar voren: billen
                        naar achteren, knieën mee. De steel blijft op alle drie de punten.
                        4. Kom in 3 tellen weer omhoog en laat los.
                        5. Doe dit 8 keer, rust een minuut en doe nog een serie.
                        """,
                    ),
                ],
                "images": [
                    {
                        "file": "bending.png",
                        "alt_text": (
                            "Twee vrouwfiguren die een doos van de grond pakken: links met "
                            "gestrekte benen en een ronde rug, rechts met gebogen knieën, de "
                            "billen naar achteren en een lange rug."
                        ),
                        "caption": "Krom voorover, en bukken met gebogen knieën en een lange rug.",
                    },
                ],
            },
            {
                "slug": "tillen-zonder-te-persen",
                "title": "Tillen zonder te persen",
                "summary": (
                    "Je tilt met een uitademing, dicht bij je lichaam en met een bekkenbodem "
                    "die al vooraf aan staat."
                ),
                "minutes": 12,
                "body": _md(
                    """
                    Als je iets tilt, komt er in één keer extra gewicht op je lichaam. Houd
                    je daarbij je adem in en pers je, zoals veel mensen ongemerkt doen, dan
                    duw je je blaas, baarmoeder en darm naar beneden. Bij urineverlies of een
                    verzakking wil je dat juist voorkomen. Ook je onderrug vangt dan meer op
                    dan nodig is.

                    ## Drie sleutels

                    - **Eerst aanspannen.** Span je bekkenbodem licht aan voordat je het
                    gewicht optilt, net als bij hoesten.
                    - **Uitademen tijdens het tillen.** Blaas zachtjes uit door getuite
                    lippen op het zwaarste moment. Zo blijft de druk in je buik laag.
                    - **Dicht bij je lijf.** Hoe dichter het gewicht bij je lichaam, hoe
                    minder je rug en je bekkenbodem hoeven te doen.

                    ## Zo til je

                    1. Ga recht voor het voorwerp staan, voeten iets uit elkaar.
                    2. Buk met een lange rug en gebogen knieën, zoals in de vorige les.
                    3. Pak het voorwerp stevig vast en trek het naar je toe.
                    4. Adem in, span je bekkenbodem aan en blaas uit terwijl je met je benen
                    omhoog komt.
                    5. Wil je draaien, verzet dan je voeten in plaats van je rug te draaien.
                    6. Zet het voorwerp op dezelfde manier neer: buigen, uitademen, loslaten.

                    ## Hoe zwaar?

                    Begin licht: een pak melk, een tas boodschappen, een halfvolle wasmand.
                    Verlies je urine of voel je een zwaar, zakkend gevoel onderin, dan was het
                    nog te zwaar of hield je je adem vast. Maak het lichter en bouw rustig op.
                    Twijfel je wat je mag tillen, bijvoorbeeld na een operatie, overleg dan
                    met je therapeut of je huisarts.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Oefentillen met een lichte tas",
                        STRENGTH,
                        hold=3,
                        relax=3,
                        repetitions=6,
                        sets=2,
                        rest=60,
                        instructions="""
                        1. Zet een tas met een paar pakken melk of flessen water voor je op de
                        grond.
                        2. Buk met gebogen knieën en een lange rug en pak de tas vast.
                        3. Adem in, span je bekkenbodem aan en kom in 3 tellen omhoog terwijl
                        je uitblaast. Houd de tas dicht bij je lichaam.
                        4. Zet de tas in 3 tellen op dezelfde manier weer neer en laat los.
                        5. Doe dit 6 keer, rust een minuut en doe nog een serie.
                        """,
                    ),
                ],
                "images": [],
            },
        ],
    },
    {
        "title": "Kracht in je hele lichaam",
        "introduction": (
            "Nu je bekkenbodem en je houding weer samenwerken, ga je je hele lichaam sterker "
            "maken. Sterke benen, billen en een sterke romp geven je bekkenbodem steun, en "
            "andersom."
        ),
        "lessons": [
            {
                "slug": "bruggetje-billen-en-bekkenbodem",
                "title": "Het bruggetje: billen en bekkenbodem samen",
                "summary": (
                    "Met het bruggetje train je je billen en je bekkenbodem tegelijk, zonder je "
                    "onderrug te belasten."
                ),
                "minutes": 12,
                "body": _md(
                    """
                    Je bilspieren zijn grote, sterke spieren die je bekken stabiel houden bij
                    lopen, traplopen en tillen. Werken ze goed, dan hoeven je onderrug en je
                    bekkenbodem minder te compenseren. Het bruggetje is een rustige oefening
                    waarin je billen, bekkenbodem en buik leren samenwerken.

                    ## Wat er nu anders is

                    In stap 1 hield je je billen juist zacht, om je bekkenbodem los van de
                    rest te leren voelen. Nu gaan ze bewust samen aan het werk. Je
                    bekkenbodem begint, je billen volgen. Zo houdt je bekkenbodem de regie.

                    ## Zo doe je het bruggetje

                    1. Lig op je rug met je knieën gebogen, je voeten plat op heupbreedte.
                    2. Leg je armen ontspannen naast je lichaam.
                    3. Adem in.
                    4. Span bij de uitademing eerst je bekkenbodem aan en til dan je billen
                    op, wervel voor wervel, tot je lichaam een rechte lijn is van knieën tot
                    schouders.
                    5. Blijf 5 seconden zo en adem rustig door.
                    6. Rol langzaam terug, wervel voor wervel, en laat je bekkenbodem en
                    billen helemaal los.

                    ## Waar je op let

                    - Je duwt je buik niet verder omhoog dan die rechte lijn; je rug wordt
                    niet hol.
                    - Je schouders en je nek blijven ontspannen op de grond.
                    - Voel je het vooral in je onderrug of achter in je dijen? Zet je voeten
                    dan iets dichter bij je billen.

                    Wordt het makkelijk, houd dan langer vast, of til bovenin om de beurt een
                    hiel een klein stukje op.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Bruggetje",
                        STRENGTH,
                        hold=5,
                        relax=5,
                        repetitions=10,
                        sets=2,
                        rest=60,
                        instructions="""
                        1. Lig op je rug met je knieën gebogen en je voeten plat op
                        heupbreedte.
                        2. Adem in.
                        3. Span bij de uitademing eerst je bekkenbodem aan en til dan je
                        billen op tot een rechte lijn van knieën tot schouders.
                        4. Blijf 5 seconden boven en adem door.
                        5. Rol in 5 seconden terug en laat alles los.
                        6. Doe dit 10 keer, rust een minuut en doe nog een serie.
                        """,
                    ),
                ],
                "images": [
                    {
                        "file": "bridge.png",
                        "alt_text": (
                            "Een vrouwfiguur ligt op een oefenmat op haar rug met gebogen "
                            "knieën en heeft haar billen opgetild, zodat knieën, heupen en "
                            "schouders een rechte lijn vormen."
                        ),
                        "caption": "Het bruggetje: eerst je bekkenbodem, dan je billen.",
                    },
                ],
            },
            {
                "slug": "squat-met-een-stoel",
                "title": "Squat met een stoel",
                "summary": (
                    "Je bouwt kracht op in je benen met een veilige kniebuiging, met een stoel "
                    "als steun en als doel."
                ),
                "minutes": 15,
                "body": _md(
                    """
                    Sterke benen maken alles uit de vorige stappen makkelijker: opstaan,
                    traplopen, bukken en tillen. De squat, een kniebuiging, is daar een van
                    de beste oefeningen voor. Je zet een stoel achter je, zodat je weet hoe
                    diep je gaat en altijd kunt gaan zitten.

                    ## Zo doe je de squat

                    1. Ga met je rug naar een stevige stoel staan, voeten op heupbreedte,
                    tenen iets naar buiten.
                    2. Strek je armen naar voren of zet je handen op je heupen.
                    3. Adem in en laat je bekkenbodem zacht.
                    4. Breng je billen naar achteren en buig je knieën, alsof je gaat zitten.
                    Je rug blijft lang.
                    5. Tik de stoel licht aan met je billen, zonder te gaan zitten.
                    6. Span je bekkenbodem aan, adem uit en kom met kracht uit je benen weer
                    omhoog.
                    7. Sta met zachte knieën en laat alles los.

                    ## Aandachtspunten

                    - Je knieën wijzen dezelfde kant op als je tenen en zakken niet naar
                    binnen.
                    - Je hakken blijven op de grond.
                    - Je houdt je adem niet vast; zachtjes hardop tellen helpt.
                    - Last van je knieën? Ga minder diep, of leg een kussen op de stoel.

                    ## Opbouwen

                    Begin met een hoge stoel en een paar herhalingen. Gaat dat goed, doe er
                    dan meer, neem een lagere stoel of houd twee flessen water vast.
                    Belangrijker dan het aantal is dat je bekkenbodem rustig meedoet: geen
                    druk naar beneden, geen lekken, geen zwaar gevoel. Lukt dat, dan word je
                    echt sterker.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Squat met een stoel",
                        STRENGTH,
                        hold=3,
                        relax=3,
                        repetitions=8,
                        sets=3,
                        rest=60,
                        instructions="""
                        1. Sta met je rug naar een stevige stoel, voeten op heupbreedte.
                        2. Adem in en zak in 3 tellen met je billen naar achteren tot je de
                        stoel net raakt.
                        3. Span je bekkenbodem aan, adem uit en kom in 3 tellen omhoog.
                        4. Sta met zachte knieën en laat los.
                        5. Doe dit 8 keer, rust een minuut en doe in totaal 3 series.
                        """,
                    ),
                    _exercise(
                        "Op je tenen staan",
                        STRENGTH,
                        hold=3,
                        relax=3,
                        repetitions=10,
                        sets=2,
                        rest=60,
                        instructions="""
                        1. Sta achter een stoel en leg je handen licht op de leuning.
                        2. Span je bekkenbodem licht aan en kom bij een uitademing op je tenen.
                        3. Blijf 3 seconden boven, met een lange rug.
                        4. Zak in 3 seconden rustig terug en laat los.
                        5. Doe dit 10 keer, rust een minuut en doe nog een serie.
                        """,
                    ),
                ],
                "images": [
                    {
                        "file": "squat.png",
                        "alt_text": (
                            "Een vrouwfiguur zakt door haar knieën voor een stoel, met de "
                            "armen naar voren, de billen naar achteren en een lange rug."
                        ),
                        "caption": "De squat: billen naar achteren, tot je de stoel net raakt.",
                    },
                ],
            },
            {
                "slug": "je-oefenschema-volhouden",
                "title": "Volhouden: je oefenschema voor de komende maanden",
                "summary": "Hoe vaak en hoe lang je blijft oefenen, en hoe je merkt dat het werkt.",
                "minutes": 10,
                "body": _md(
                    """
                    Je kent nu alle onderdelen van de cursus. De komende maanden gaat het erom
                    dat je blijft oefenen, want spieren worden niet in een paar weken sterk.
                    Meestal duurt het ongeveer drie maanden voordat je echt verschil merkt.

                    ## Je dagelijkse basis

                    - **Drie keer per dag** de bekkenbodemoefeningen: lang aanspannen en
                    snelle knijpjes. Liggend, zittend of staand, wat het beste uitkomt.
                    - **Elke dag** even aandacht voor je houding bij zitten, staan, lopen en
                    bukken.
                    - **Een paar keer per week** de krachtoefeningen: het bruggetje, de squat
                    en op je tenen staan.

                    Bouw de lange aanspanningen op tot 10 seconden vasthouden en 10 seconden
                    ontspannen. Loslaten blijft net zo belangrijk als aanspannen.

                    ## Hoe weet je of het werkt?

                    Houd je dagboek bij: hoe vaak je lekte, hoeveel inlegkruisjes je nodig
                    had, hoe sterk de aandrang was en hoeveel last je rug gaf op een schaal
                    van 0 tot 10. Twee punten minder op die schaal is al een betekenisvolle
                    verbetering. Kijk eens per week naar je voortgang in plaats van elke dag;
                    dan zie je de lijn beter.

                    ## Na drie maanden

                    Gaat het goed, dan kun je overstappen op een onderhoudsschema: een paar
                    keer per week de oefeningen, en elke dag een goede houding. Komen je
                    klachten terug, oefen dan weer een tijdje dagelijks.

                    ## Wanneer hulp vragen

                    Merk je na een paar maanden weinig verandering, krijg je nieuwe klachten,
                    of zie je bloed in je urine? Neem dan contact op met je huisarts of
                    bekkenfysiotherapeut. Je kunt je therapeut ook altijd een vraag stellen
                    bij een les.
                    """
                ),
                "exercises": [
                    _exercise(
                        "Onderhoud: lang aanspannen",
                        LONG_HOLD,
                        hold=10,
                        relax=10,
                        repetitions=10,
                        sets=3,
                        rest=60,
                        instructions="""
                        1. Kies een houding: liggend, zittend of staand met zachte knieën.
                        2. Span bij een uitademing je bekkenbodem aan, naar binnen en omhoog.
                        3. Houd 10 seconden vast en adem rustig door.
                        4. Laat 10 seconden helemaal los.
                        5. Doe dit 10 keer, rust een minuut en doe in totaal 3 series.
                        """,
                    ),
                    _exercise(
                        "Onderhoud: snelle knijpjes",
                        QUICK_FLICKS,
                        hold=1,
                        relax=2,
                        repetitions=10,
                        sets=3,
                        rest=60,
                        instructions="""
                        1. Blijf in dezelfde houding en adem rustig.
                        2. Span je bekkenbodem snel en stevig aan, 1 seconde.
                        3. Laat meteen los en wacht 2 seconden.
                        4. Doe dit 10 keer, rust een minuut en doe in totaal 3 series.
                        """,
                    ),
                ],
                "images": [],
            },
        ],
    },
]
