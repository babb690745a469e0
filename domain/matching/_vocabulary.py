"""A skills vocabulary: concepts with stable URIs and labels per language, ESCO's shape.

Pure: the files it comes from are read elsewhere (`nbm.skills`). A skill is named by its
URI everywhere a decision is made; labels are for people and for looking a skill up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from pydantic import Field, PrivateAttr, model_validator

from ..shared import N_, DomainError, Value

PROJECT_NAMESPACE = "urn:nieuwe-banen:skill:"
"""The URIs of skills this project names itself, where no ESCO concept is known for them
(never `http://data.europa.eu/esco/...`, which only ESCO mints)."""


class SkillType(StrEnum):
    """ESCO's `skillType` column."""

    KNOWLEDGE = "knowledge"
    SKILL = "skill/competence"


class UnknownSkill(DomainError):
    code = "unknown-skill"


class Skill(Value):
    uri: str = Field(min_length=8, max_length=300, pattern=r"^(https?://|urn:)\S+$")
    skill_type: SkillType = SkillType.SKILL
    labels: dict[str, str]
    """The preferred label by language code (`nl`, `en`)."""
    alt_labels: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _has_a_label(self) -> Skill:
        if not any(label.strip() for label in self.labels.values()):
            raise ValueError(N_("a skill needs a preferred label in at least one language"))
        return self

    def label(self, lang: str = "nl") -> str:
        """The preferred label in `lang`, else in English, else any."""
        return self.labels.get(lang) or self.labels.get("en") or next(iter(self.labels.values()))

    @property
    def is_project_uri(self) -> bool:
        return self.uri.startswith(PROJECT_NAMESPACE)


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


class Vocabulary(Value):
    """Skills by URI, with a case-insensitive look-up by any label in any language, and the
    URIs of another scheme (CompetentNL) that stand for one of them."""

    skills: dict[str, Skill] = Field(default_factory=dict)
    same_as: dict[str, str] = Field(default_factory=dict)
    """Another scheme's URI -> the URI of the skill here it maps to (skos:exactMatch)."""
    _index: dict[str, str] = PrivateAttr(default_factory=dict)

    @classmethod
    def of(cls, skills: Iterable[Skill], same_as: Mapping[str, str] | None = None) -> Vocabulary:
        """One vocabulary; the labels of a URI that comes twice (two languages' files) merge."""
        merged: dict[str, Skill] = {}
        for skill in skills:
            before = merged.get(skill.uri)
            if before is not None:
                skill = before.model_copy(
                    update={
                        "labels": {**before.labels, **skill.labels},
                        "alt_labels": {**before.alt_labels, **skill.alt_labels},
                    }
                )
            merged[skill.uri] = skill
        return cls(skills=merged, same_as=dict(same_as or {}))

    def model_post_init(self, context: object, /) -> None:
        index: dict[str, str] = {}
        for skill in sorted(self.skills.values(), key=lambda s: s.uri):
            for label in skill.labels.values():
                index.setdefault(_key(label), skill.uri)  # a preferred label wins over an alt
        for skill in sorted(self.skills.values(), key=lambda s: s.uri):
            for labels in skill.alt_labels.values():
                for label in labels:
                    index.setdefault(_key(label), skill.uri)
        self._index = index

    def __len__(self) -> int:
        return len(self.skills)

    def get(self, uri: str) -> Skill | None:
        """The skill with this URI, or the one another scheme's URI maps to."""
        return self.skills.get(uri) or self.skills.get(self.same_as.get(uri, ""))

    def find(self, text: str) -> Skill | None:
        """The skill with `text` as a URI, a preferred label or an alternative label in any
        language, ignoring case and repeated spaces."""
        found = self.get(text.strip())
        if found is not None:
            return found
        uri = self._index.get(_key(text))
        return self.skills[uri] if uri else None

    def resolve(self, text: str) -> Skill:
        """`find`, or an error naming what was not found (a skill's label is no personal data)."""
        found = self.find(text)
        if found is None:
            raise UnknownSkill(
                N_("skill not in the vocabulary: {text!r}"),
                text=text[:80],
            )
        return found

    def search(self, query: str, *, limit: int = 50) -> list[Skill]:
        """Skills any of whose labels contains `query` (all of them for an empty query)."""
        needle = _key(query)
        hits = [
            s
            for s in self.skills.values()
            if not needle
            or any(needle in _key(label) for label in s.labels.values())
            or any(needle in _key(a) for alts in s.alt_labels.values() for a in alts)
        ]
        return sorted(hits, key=lambda s: (_key(s.label()), s.uri))[:limit]
