"""The Algoritmeregister entry of the matching, built from the code that ranks.

Dutch public bodies publish the algorithms they use in the Algoritmeregister
(algoritmes.overheid.nl); a ranking of job seekers is a high-risk AI system under the EU AI
Act (Annex III, point 4: employment). The entry is never hand-written: the features, their
weights, the profile fields they read and the fields they do not are read from
`FEATURES` and the profile models, so a change to the ranking changes the entry. What only
the municipality knows (its name, the legal basis, a contact) comes in as arguments.
"""

from __future__ import annotations

from pydantic import BaseModel

from ..shared import Value
from ._log import SYSTEM_ACTORS, Overrides
from ._profiles import EXCLUDED_ATTRIBUTES, CandidateProfile, FunctionProfile
from ._ranking import FEATURES, MAX_SCORE, RANKING_VERSION, TIE_BREAK

IN_DUTCH = {
    "age": "leeftijd",
    "origin": "herkomst",
    "nationality": "nationaliteit",
    "gender": "geslacht",
    "health": "gezondheid",
    "family situation": "gezinssituatie",
}

LEGAL_BASIS_TODO = "IN TE VULLEN DOOR DE GEMEENTE / to be filled in by the municipality"


class RegisterFeature(Value):
    name: str
    label_nl: str
    label_en: str
    max_points: float
    reads: tuple[str, ...]
    how_nl: str
    how_en: str


class RegisterEntry(Value):
    """The fields of the Algoritmeregister's publication standard this tool can fill."""

    name: str
    organisation: str
    description_short: str
    publication_category: str
    status: str
    goal_and_impact: str
    legal_basis: str
    human_intervention: str
    explanation_given: str
    risk_management: str
    known_risks: tuple[str, ...]
    source_data: tuple[str, ...]
    """The data the ranking uses: every field a feature reads."""
    data_not_used: tuple[str, ...]
    """What the ranking never uses: the attributes the profiles do not carry, and the profile
    fields no feature reads."""
    methods_and_models: str
    features: tuple[RegisterFeature, ...]
    max_score: float
    ranking_version: int
    ai_act: str
    override_rate: float | None
    decisions: int | None
    overrode_top: int | None
    contact: str | None = None


def profile_fields(model: type[BaseModel], prefix: str) -> set[str]:
    """Every leaf field of a profile, as `prefix.<field>[.<subfield>]`."""
    found: set[str] = set()
    for name, info in model.model_fields.items():
        sub = info.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel) and sub.__name__ != "Sealed":
            found |= profile_fields(sub, f"{prefix}.{name}")
        else:
            found.add(f"{prefix}.{name}")
    return found


def fields_read() -> set[str]:
    return {field for feature in FEATURES for field in feature.reads}


def fields_not_read() -> set[str]:
    every = profile_fields(CandidateProfile, "candidate") | profile_fields(
        FunctionProfile, "function"
    )
    return every - fields_read()


def register_entry(
    *,
    organisation: str,
    legal_basis: str | None = None,
    overrides: Overrides | None = None,
    contact: str | None = None,
) -> RegisterEntry:
    features = tuple(
        RegisterFeature(
            name=f.name, label_nl=f.label_nl, label_en=f.label_en, max_points=f.max_points,
            reads=f.reads, how_nl=f.how_nl, how_en=f.how_en,
        )
        for f in FEATURES
    )  # fmt: skip
    parts = "; ".join(f"{f.label_nl}: {f.how_nl}" for f in FEATURES)
    not_used = tuple(
        [
            f"{IN_DUTCH.get(a, a)} / {a} (niet in de profielen / not in the profiles)"
            for a in EXCLUDED_ATTRIBUTES
        ]
        + [
            f"{f} (alleen de volgorde bij gelijke score / only to order equal scores)"
            if f in TIE_BREAK
            else f"{f} (niet gebruikt voor de rangorde / not ranked on)"
            for f in sorted(fields_not_read())
        ]
    )
    return RegisterEntry(
        name="Nieuwe Banen: vaardigheidsmatching kandidaat-functie",
        organisation=organisation,
        description_short=(
            "Stelt werkcoaches een gerangschikte lijst voor van kandidaten bij een (toekomstige) "
            "functie, of functies bij een kandidaat, op grond van vaardigheden (ESCO-URI's) en "
            "praktische voorkeuren, met bij elk voorstel de uitleg. Een medewerker beslist."
        ),
        publication_category="hoog-risico AI-systeem / high-risk AI system",
        status="in gebruik / in use",
        goal_and_impact=(
            "Doel: mensen met een grote afstand tot de arbeidsmarkt sneller bij een passende "
            "toekomstige baan brengen (Nieuwe Banen Methodiek). Ontbrekende vaardigheden worden "
            "voorgestelde onderdelen van het leerplan. Impact: het voorstel beinvloedt welke "
            "kandidaat een coach als eerste bekijkt."
        ),
        legal_basis=legal_basis or LEGAL_BASIS_TODO,
        human_intervention=(
            "De engine matcht nooit zelf: een medewerker bevestigt of verwerpt elk voorstel "
            "(nbm match confirm|reject), met naam (actor) en reden (versleuteld). Het systeem "
            f"zelf ({', '.join(sorted(SYSTEM_ACTORS))}) kan geen match beslissen. Vastgelegd "
            "wordt welke plaats in de rangorde gekozen werd en of de medewerker van het "
            "bovenste voorstel afweek."
        ),
        explanation_given=(
            "Bij elk voorstel: welke vereiste vaardigheden aanwezig zijn en welke ontbreken, "
            "welke voorkeuren passen (uren, dagen, regio, vervoer, interesse), en de score "
            "opgebouwd uit zijn delen: " + parts + "."
        ),
        risk_management=(
            "Geen kenmerken als leeftijd, herkomst, nationaliteit, geslacht, gezondheid of "
            "gezinssituatie in de profielen; sterke punten en uitdagingen zijn versleuteld en "
            "tellen niet mee; elke beslissing wordt met reden gelogd; het percentage afwijkingen "
            "van het voorstel wordt gemeten (override rate)."
        ),
        known_risks=(
            "Indirecte discriminatie via regio, uren of rijbewijs (proxy's voor herkomst, "
            "zorgtaken of leeftijd): controleer de uitkomsten per groep buiten dit systeem.",
            "Onvolledige vaardigheidsprofielen benadelen kandidaten wier vaardigheden niet "
            "vastgelegd zijn.",
            "Automatiseringsbias: een coach volgt het bovenste voorstel zonder eigen afweging; "
            "de override rate maakt dit zichtbaar.",
            "Een vaardigheid zonder ESCO-URI (projectnaamruimte) is niet vergelijkbaar met "
            "andere registers.",
        ),
        source_data=tuple(sorted(fields_read())),
        data_not_used=not_used,
        methods_and_models=(
            f"Regelgebaseerde, transparante puntentelling (versie {RANKING_VERSION}), geen "
            f"machine learning; maximaal {MAX_SCORE:g} punten; gelijke scores in vaste volgorde "
            "van referentie. Vaardigheden als URI's uit een ESCO-vormige woordenlijst "
            "(CompetentNL via een mapping naar ESCO)."
        ),
        features=features,
        max_score=MAX_SCORE,
        ranking_version=RANKING_VERSION,
        ai_act=(
            "Hoog risico: EU AI-verordening (2024/1689) bijlage III, punt 4 (werkgelegenheid: "
            "werving en selectie, het filteren en beoordelen van kandidaten)."
        ),
        override_rate=overrides.rate if overrides else None,
        decisions=overrides.decisions if overrides else None,
        overrode_top=overrides.overrode_top if overrides else None,
        contact=contact,
    )
