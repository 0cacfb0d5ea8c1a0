"""Small lists of Dutch names, units and job titles; numbers make them go further."""

FIRST_NAMES = (
    "Jan", "Pieter", "Kees", "Henk", "Willem", "Johan", "Gerrit", "Dirk", "Bas", "Thijs",
    "Daan", "Sem", "Lucas", "Jesse", "Bram", "Ruben", "Tim", "Niels", "Stefan", "Jeroen",
    "Mark", "Rob", "Erik", "Frank", "Sander", "Maarten", "Joost", "Wouter", "Martijn", "Koen",
    "Mohamed", "Ahmed", "Yusuf", "Mehmet", "Ali", "Omar", "Hamza", "Sven", "Tom", "Luuk",
    "Anna", "Maria", "Emma", "Sophie", "Julia", "Lotte", "Sanne", "Anouk", "Femke", "Iris",
    "Lisa", "Eva", "Sarah", "Fleur", "Noor", "Esther", "Marieke", "Ingrid", "Annemarie", "Els",
    "Yvonne", "Petra", "Monique", "Karin", "Linda", "Wendy", "Chantal", "Mirjam", "Joyce",
    "Fatima", "Fatma", "Naima", "Hatice", "Aylin", "Samira", "Priya", "Zoë", "Frédérique",
    "Ümit", "Chloë", "Hélène", "Renée", "José", "Gijs", "Floor", "Rianne", "Marloes", "Tessa",
)  # fmt: skip

# Dutch last names with their prefix (tussenvoegsel), as they occur.
DUTCH_LAST_NAMES = (
    ("de", "Jong"), ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"),
    ("", "Bakker"), ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"),
    ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"),
    ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"),
    ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"), ("van der", "Linden"), ("", "Kok"),
    ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"),
    ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"), ("de", "Bruin"),
    ("van der", "Heijden"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"),
    ("van", "Vliet"), ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"),
    ("", "Koster"), ("", "Prins"), ("", "Blom"), ("", "Huisman"), ("", "Peeters"),
    ("", "Kuijpers"), ("", "Postma"), ("van der", "Wal"), ("", "Kramer"), ("van der", "Meer"),
    ("ter", "Horst"), ("van 't", "Hof"), ("van", "Wijk"), ("van", "Zanten"), ("", "Sluis"),
    ("van der", "Molen"), ("op de", "Kamp"), ("van der", "Laan"), ("van den", "Akker"),
    ("te", "Velde"), ("den", "Hartog"), ("in 't", "Veld"), ("", "Mulder"), ("", "Bakker"),
)  # fmt: skip

OTHER_LAST_NAMES = (
    "Yılmaz", "Demir", "Kaya", "Şahin", "Öztürk", "Amrani", "Bouzid", "Haddou", "Benali",
    "Tahiri", "Ramdin", "Raman", "Nguyen", "Schneider", "Müller", "O'Brien", "Kowalski",
    "Mendes", "Santos", "El Amrani", "Aydın", "Hoang", "Ramkisoen", "Kartosen", "Boateng",
)  # fmt: skip

DIRECTORATES = (
    "Dienstverlening", "Ruimte", "Samenleving", "Bedrijfsvoering", "Veiligheid",
    "Stadsbeheer", "Economie en Cultuur", "Sociaal Domein", "Concernstaf",
)  # fmt: skip

SECTORS = (
    "Publiekszaken", "Wonen", "Zorg en Welzijn", "Onderwijs", "Financiën", "Mobiliteit",
    "Duurzaamheid", "Ondersteuning", "Leefomgeving", "Jeugd", "Werk", "Informatie",
)  # fmt: skip

DEPARTMENTS = (
    "Burgerzaken", "Vergunningen", "Belastingen", "Handhaving", "Werk en Inkomen",
    "Openbare Ruimte", "HRM", "Communicatie", "Informatievoorziening", "Juridische Zaken",
    "Inkoop", "Sport en Cultuur", "Wijkteams", "Leerlingenzaken", "Verkeer", "Groen",
    "Riolering", "Huisvesting", "Schuldhulpverlening", "Archief", "Facilitaire Zaken",
    "Control", "Beleid", "Projecten", "Klantcontact", "Parkeren", "Afval", "Economie",
)  # fmt: skip

TEAMS = (
    "Publiekszaken", "Frontoffice", "Backoffice", "Klantcontact", "Toezicht", "Advies",
    "Beleid", "Uitvoering", "Beheer", "Projecten", "Planning", "Administratie", "Inspectie",
    "Onderhoud", "Ondersteuning", "Intake", "Casemanagement", "Applicatiebeheer",
)  # fmt: skip

JOB_TITLES = (
    "Medewerker", "Senior medewerker", "Beleidsmedewerker", "Adviseur", "Senior adviseur",
    "Specialist", "Projectleider", "Coördinator", "Consulent", "Juridisch medewerker",
    "Administratief medewerker", "Toezichthouder", "Klantmanager", "Functioneel beheerder",
    "Stagiair", "Trainee",
)  # fmt: skip

HEAD_TITLES = {
    1: "Gemeentesecretaris",
    2: "Directeur",
    3: "Sectormanager",
    4: "Afdelingshoofd",
    5: "Teamleider",
    6: "Coördinator",
}

USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
)
