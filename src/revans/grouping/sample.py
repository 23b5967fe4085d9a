"""A generated cohort of realistic shape, for the benchmark and the demo: organisations of
skewed sizes (a few large, many of one to three people), each in a sector with a home location;
role levels more junior than senior; manager/report pairs inside organisations; keep-apart
pairs; and each person free in 2–4 of 6 meeting slots, the popular slots more often.

With ``realistic=True`` people, organisations and places get believable names (the largest
organisations are the big councils and hospitals), and each organisation's sector follows its
name; sizes, levels, pairs and availability are those of the plain cohort.

Imports nothing from Django.
"""

import numpy as np

from .cohort_file import COLUMNS as FILE_COLUMNS

COLUMNS = [c for c in FILE_COLUMNS if c != "set"]  # nobody is locked in a generated cohort

SLOTS = ["mon am", "mon pm", "tue am", "wed pm", "thu am", "fri am"]


def generate(
    people: int = 400,
    organisations: int = 60,
    sectors: int = 8,
    locations: int = 10,
    managers: int = 60,
    apart: int = 40,
    seed: int = 1,
    realistic: bool = False,
) -> list[list[str]]:
    """The rows of a generated cohort file, header first."""
    rng = np.random.default_rng(seed)
    share = 1.0 / np.arange(1, organisations + 1) ** 0.9
    sizes = 1 + rng.multinomial(people - organisations, share / share.sum())
    org_sector = rng.integers(0, sectors, organisations)
    org_home = rng.integers(0, locations, organisations)
    popularity = np.array([6, 5, 4, 3, 2, 1], dtype=float)
    rows: list[dict[str, str]] = []
    orgs: list[int] = []  # the organisation of each row, by number
    for org, size in enumerate(sizes):
        for _ in range(size):
            k = len(rows)
            home = org_home[org] if rng.random() < 0.7 else rng.integers(locations)
            count = int(rng.integers(2, 5))
            slots = rng.choice(len(SLOTS), count, replace=False, p=popularity / popularity.sum())
            rows.append(
                {
                    "email": f"p{k:03d}@org{org:02d}.example",
                    "name": f"Person {k}",
                    "organisation": f"Organisation {org:02d}",
                    "sector": f"Sector {org_sector[org]}",
                    "role_level": str(int(rng.choice(5, p=[0.3, 0.3, 0.2, 0.13, 0.07])) + 1),
                    "location": f"Location {home}",
                    "manager_email": "",
                    "availability": ";".join(SLOTS[s] for s in sorted(slots)),
                    "keep_apart": "",
                }
            )
            orgs.append(org)
    by_org: dict[int, list[int]] = {}
    for k, org in enumerate(orgs):
        by_org.setdefault(org, []).append(k)
    pairs = 0
    candidates = [ks for ks in by_org.values() if len(ks) >= 2]
    while pairs < managers:
        ks = candidates[int(rng.integers(len(candidates)))]
        boss, report = (int(k) for k in rng.choice(ks, 2, replace=False))
        if rows[report]["manager_email"] or rows[boss]["manager_email"] == rows[report]["email"]:
            continue
        rows[report]["manager_email"] = rows[boss]["email"]
        pairs += 1
    taken = {
        tuple(
            sorted((k, next(j for j, r in enumerate(rows) if r["email"] == row["manager_email"])))
        )
        for k, row in enumerate(rows)
        if row["manager_email"]
    }
    pairs = 0
    while pairs < apart:
        i, j = sorted(int(k) for k in rng.choice(len(rows), 2, replace=False))
        if (i, j) in taken:
            continue
        taken.add((i, j))
        extra = rows[i]["keep_apart"]
        rows[i]["keep_apart"] = f"{extra};{rows[j]['email']}" if extra else rows[j]["email"]
        pairs += 1
    if realistic:
        _Labels(seed, organisations).rename(rows, orgs)
    return [COLUMNS, *([row[c] for c in COLUMNS] for row in rows)]


FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ellie",
    "Farah",
    "Gary",
    "Hannah",
    "Imran",
    "Jade",
    "Kieran",
    "Leah",
    "Mohammed",
    "Nina",
    "Owen",
    "Priya",
    "Quentin",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vikram",
    "Wendy",
    "Xavier",
    "Yasmin",
    "Zoe",
    "Adam",
    "Bethany",
    "Callum",
    "Divya",
    "Ethan",
    "Fiona",
    "George",
    "Harriet",
    "Isaac",
    "Joanna",
    "Kwame",
    "Laura",
    "Marcus",
    "Niamh",
    "Oliver",
    "Phoebe",
    "Rhys",
    "Sana",
    "Tom",
    "Ursula",
    "Victor",
    "Will",
    "Amelia",
    "Bilal",
    "Ciara",
    "Daniel",
    "Esther",
    "Femi",
    "Grace",
    "Hugo",
    "Ines",
    "Jamal",
    "Keira",
    "Liam",
]
LAST = [
    "Adams",
    "Begum",
    "Clarke",
    "Dixon",
    "Evans",
    "Fraser",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
    "Ahmed",
    "Brown",
    "Chen",
    "Davies",
    "Edwards",
    "Fletcher",
    "Gill",
    "Hughes",
    "Ibrahim",
    "Jackson",
    "Kelly",
    "Lee",
    "Murphy",
    "Nolan",
    "Obi",
    "Price",
    "Reid",
    "Shah",
    "Thomas",
    "Turner",
    "Wood",
    "Wright",
    "Ali",
    "Baker",
    "Campbell",
    "Doyle",
]
COUNCIL, NHS, POLICE, HOUSING, EDUCATION, CHARITY, CENTRAL, PRIVATE = (
    "Local government",
    "Health",
    "Emergency services",
    "Housing",
    "Education",
    "Charity and voluntary",
    "Central government",
    "Private sector",
)
ORGANISATIONS = [
    ("Leeds City Council", COUNCIL),
    ("Bradford Council", COUNCIL),
    ("Calderdale Council", COUNCIL),
    ("Kirklees Council", COUNCIL),
    ("Wakefield Council", COUNCIL),
    ("City of York Council", COUNCIL),
    ("Craven District Council", COUNCIL),
    ("Selby District Council", COUNCIL),
    ("West Yorkshire Combined Authority", COUNCIL),
    ("Leeds Libraries", COUNCIL),
    ("Leeds Teaching Hospitals NHS Trust", NHS),
    ("Bradford District Care NHS Trust", NHS),
    ("Mid Yorkshire Teaching NHS Trust", NHS),
    ("Harrogate and District NHS Trust", NHS),
    ("Airedale NHS Foundation Trust", NHS),
    ("Locala Health and Wellbeing", NHS),
    ("NHS West Yorkshire ICB", NHS),
    ("West Yorkshire Police", POLICE),
    ("West Yorkshire Fire and Rescue", POLICE),
    ("Yorkshire Ambulance Service", POLICE),
    ("Incommunities Housing", HOUSING),
    ("Leeds Federated Housing", HOUSING),
    ("Together Housing", HOUSING),
    ("Horton Housing", HOUSING),
    ("Unity Homes", HOUSING),
    ("University of Leeds", EDUCATION),
    ("Leeds Beckett University", EDUCATION),
    ("Leeds Trinity University", EDUCATION),
    ("Bradford College", EDUCATION),
    ("Calderdale College", EDUCATION),
    ("Kirklees College", EDUCATION),
    ("Shipley College", EDUCATION),
    ("Age UK Leeds", CHARITY),
    ("St Gemma's Hospice", CHARITY),
    ("Leeds Mind", CHARITY),
    ("Citizens Advice Bradford", CHARITY),
    ("Voluntary Action Calderdale", CHARITY),
    ("Touchstone", CHARITY),
    ("Forum Central", CHARITY),
    ("Leeds Community Foundation", CHARITY),
    ("Spectrum CIC", CHARITY),
    ("Leeds Playhouse", CHARITY),
    ("Opera North", CHARITY),
    ("Yorkshire Sport Foundation", CHARITY),
    ("HM Prison Leeds", CENTRAL),
    ("DWP Yorkshire", CENTRAL),
    ("Environment Agency North East", CENTRAL),
    ("HMRC Leeds", CENTRAL),
    ("Probation Service Yorkshire", CENTRAL),
    ("Yorkshire Water", PRIVATE),
    ("Arla Foods Leeds", PRIVATE),
    ("First Direct", PRIVATE),
    ("Northern Trains", PRIVATE),
    ("Sky Leeds", PRIVATE),
    ("Leeds Bradford Airport", PRIVATE),
    ("Bradford Chamber of Commerce", PRIVATE),
    ("Asda House", PRIVATE),
    ("Bradford Museums", COUNCIL),
    ("Barnardo's Yorkshire", CHARITY),
    ("Home Group North", HOUSING),
]
PLACES = [
    "Leeds",
    "Bradford",
    "Halifax",
    "Huddersfield",
    "Wakefield",
    "York",
    "Harrogate",
    "Keighley",
    "Dewsbury",
    "Skipton",
]


class _Labels:
    """Believable names for a generated cohort, from their own random stream."""

    def __init__(self, seed: int, organisations: int):
        if organisations > len(ORGANISATIONS):
            raise ValueError(f"at most {len(ORGANISATIONS)} organisations have realistic names")
        self.rng = np.random.default_rng(seed + 7919)

    def rename(self, rows: list[dict[str, str]], orgs: list[int]) -> None:
        emails: dict[str, str] = {}
        used: set[str] = set()
        for row, org in zip(rows, orgs, strict=True):
            name, sector = ORGANISATIONS[org]
            while True:
                person = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
                if person not in used:
                    break
            used.add(person)
            domain = "".join(ch for ch in name.casefold() if ch.isalnum())[:20] + ".example"
            address = person.casefold().replace(" ", ".") + "@" + domain
            emails[row["email"]] = address
            row.update(
                email=address,
                name=person,
                organisation=name,
                sector=sector,
                location=PLACES[int(row["location"].split()[-1]) % len(PLACES)],
            )
        for row in rows:
            row["manager_email"] = emails.get(row["manager_email"], "")
            row["keep_apart"] = ";".join(emails[e] for e in row["keep_apart"].split(";") if e)
