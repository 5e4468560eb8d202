"""Region profiles: `regions/<id>.yaml`, their schema, and errors a consultant can act on.

A profile says which NUTS 2016 units make up the region, which joint challenges the EOCIC
Summary Report listed it under (with the source), optional peer regions and SWOT context,
and the consultant's overrides of the proposed measures. Unknown keys are rejected. Every
validation problem becomes a `ProfileError` naming the file, the field, the bad value and
what is allowed.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workbench import paths
from workbench.concepts import CHALLENGE_IDS

NUTS_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
REGION_ID = re.compile(r"^[a-z][a-z0-9-]*$")


class ProfileError(ValueError):
    """A region profile that cannot be used; the message is meant for the consultant."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = Path(path)
        self.problems = problems
        super().__init__(f"{self.path}: " + "; ".join(problems))

    def __str__(self) -> str:
        lines = [f"{self.path}: invalid region profile"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict):
    """A statement with the document it comes from."""

    text: str = Field(min_length=3)
    source: str = Field(min_length=3)


class PublishedChallenge(_Strict):
    """A joint challenge under which the EOCIC Summary Report lists the region."""

    challenge: Literal[CHALLENGE_IDS]  # type: ignore[valid-type]
    source: str = Field(min_length=3)
    quote: str = Field(min_length=3)


class Nuts(_Strict):
    """The NUTS 2016 units of the region: its own code and the NUTS 2 parts that make it up."""

    version: Literal[2016] = 2016
    code: str
    level: Literal[0, 1, 2]
    parts: tuple[str, ...] = Field(min_length=1)
    composition: str = Field(min_length=3)

    @field_validator("code")
    @classmethod
    def _code_is_nuts(cls, value: str) -> str:
        if not NUTS_CODE.match(value):
            raise ValueError("a NUTS code is 2 capital letters followed by up to 3 letters or digits, e.g. DED or ES13")
        return value

    @field_validator("parts")
    @classmethod
    def _parts_are_nuts2(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not NUTS_CODE.match(code) or len(code) != 4:
                raise ValueError(f"{code!r} is not a NUTS 2 code (4 characters, e.g. DED2)")
        if len(set(value)) != len(value):
            raise ValueError("parts are listed more than once")
        return value

    @model_validator(mode="after")
    def _parts_belong_to_code(self) -> "Nuts":
        for part in self.parts:
            if not part.startswith(self.code[:2]):
                raise ValueError(f"part {part!r} is not in the country of {self.code!r}")
            if self.level == 2 and self.parts != (self.code,):
                raise ValueError("a NUTS 2 region's only part is itself")
        return self


class Timing(_Strict):
    start: int = Field(ge=2014, le=2040)
    end: int = Field(ge=2014, le=2040)

    @model_validator(mode="after")
    def _ordered(self) -> "Timing":
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Target(_Strict):
    value: float
    year: int = Field(ge=2014, le=2040)


class ProposalOverrides(_Strict):
    """A consultant's changes to the proposed measures (ids from templates/measures.yaml)."""

    add: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    priority: dict[str, int] = Field(default_factory=dict)
    timing: dict[str, Timing] = Field(default_factory=dict)
    targets: dict[str, Target] = Field(default_factory=dict)
    outputs: dict[str, dict[str, float]] = Field(default_factory=dict)   # measure id -> {output label: target}
    horizon: Timing = Timing(start=2028, end=2034)   # the next EU programming period

    @field_validator("priority")
    @classmethod
    def _priority_range(cls, value: dict[str, int]) -> dict[str, int]:
        for measure, rank in value.items():
            if not 1 <= rank <= 5:
                raise ValueError(f"priority of {measure!r} is {rank}; allowed: 1 (highest) to 5 (lowest)")
        return value


class ContextEntry(_Strict):
    """A named actor, domain, territory or recommendation, with the public document it comes from.
    `nace`: the NACE divisions it concerns (e.g. C29), so that measures on those clusters name it."""

    name: str = Field(min_length=2)
    source: str = Field(min_length=10)
    note: str = ""
    nace: tuple[str, ...] = ()

    @field_validator("nace")
    @classmethod
    def _nace_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not re.match(r"^[A-U][0-9]{0,2}$", code):
                raise ValueError(f"{code!r} is not a NACE Rev. 2 section or division code (e.g. C29)")
        return value


class RegionContext(_Strict):
    """The consultant's sourced context (optional): used by name in the proposed measures."""

    s3_domains: tuple[ContextEntry, ...] = ()
    cluster_organisations: tuple[ContextEntry, ...] = ()
    agencies_programmes: tuple[ContextEntry, ...] = ()
    just_transition_territories: tuple[ContextEntry, ...] = ()
    eocic_recommendations: tuple[ContextEntry, ...] = ()


class RegionProfile(_Strict):
    """One pilot region, as `regions/<id>.yaml` describes it."""

    id: str
    name: str = Field(min_length=2)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    country_name: str = Field(min_length=2)
    nuts: Nuts
    published_challenges: tuple[PublishedChallenge, ...] = ()
    peers: tuple[str, ...] = Field(default=(), max_length=5)
    opportunities: tuple[Sourced, ...] = ()
    threats: tuple[Sourced, ...] = ()
    proposals: ProposalOverrides = ProposalOverrides()
    context: RegionContext | None = None

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not REGION_ID.match(value):
            raise ValueError("an id is lower-case letters, digits and hyphens, e.g. centre-val-de-loire")
        return value

    @field_validator("peers")
    @classmethod
    def _peers_are_nuts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not NUTS_CODE.match(code):
                raise ValueError(f"{code!r} is not a NUTS code")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "RegionProfile":
        if not self.nuts.code.startswith(self.country) and not (self.country == "GR" and self.nuts.code.startswith("EL")):
            raise ValueError(f"nuts.code {self.nuts.code!r} is not in country {self.country!r}")
        seen = [c.challenge for c in self.published_challenges]
        if len(set(seen)) != len(seen):
            raise ValueError("published_challenges lists a challenge more than once")
        return self

    @property
    def published_challenge_ids(self) -> tuple[str, ...]:
        return tuple(c.challenge for c in self.published_challenges)


def profile_path(region_id: str, regions_dir: Path | None = None) -> Path:
    return (regions_dir or paths.REGIONS_DIR) / f"{region_id}.yaml"


def region_ids(regions_dir: Path | None = None) -> list[str]:
    """Ids of all profiles in the regions folder, sorted."""
    folder = regions_dir or paths.REGIONS_DIR
    return sorted(p.stem for p in folder.glob("*.yaml"))


def load_profile(region_id_or_path: str | Path, regions_dir: Path | None = None) -> RegionProfile:
    """Read and validate one profile; raise `ProfileError` with every problem found."""
    path = Path(region_id_or_path)
    if path.suffix not in {".yaml", ".yml"}:
        path = profile_path(str(region_id_or_path), regions_dir)
    if not path.is_file():
        known = ", ".join(region_ids(path.parent)) or "none"
        raise ProfileError(path, [f"no such region profile; known regions: {known}"])
    raw = _read_yaml(path)
    try:
        profile = RegionProfile.model_validate(raw)
    except ValidationError as error:
        raise ProfileError(path, [_describe(e, raw) for e in error.errors()]) from None
    if profile.id != path.stem:
        raise ProfileError(path, [f"field 'id': value {profile.id!r} must equal the file name {path.stem!r}"])
    return profile


def load_profiles(region_ids_: list[str] | None = None, regions_dir: Path | None = None) -> list[RegionProfile]:
    """Load several profiles (all when `region_ids_` is None); errors of all files together."""
    ids = region_ids_ if region_ids_ else region_ids(regions_dir)
    profiles, problems = [], []
    for region_id in ids:
        try:
            profiles.append(load_profile(region_id, regions_dir))
        except ProfileError as error:
            problems.append(error)
    if problems:
        raise ProfileErrors(problems)
    return profiles


class ProfileErrors(ValueError):
    """Several invalid profiles at once."""

    def __init__(self, errors: list[ProfileError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when PyYAML has it: ~10x faster


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ProfileError(path, [f"not valid YAML{where}: {problem}"]) from None
    if not isinstance(data, dict):
        raise ProfileError(path, [f"the file must hold a mapping of fields, got {type(data).__name__}"])
    return data


def _describe(error: dict[str, Any], raw: dict[str, Any]) -> str:
    """One line per pydantic error: field, bad value, what is allowed."""
    loc = [str(part) for part in error["loc"]]
    field = ".".join(loc) if loc else "(whole file)"
    if error["type"] == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(error["loc"][:-1]))
        return f"field {field!r} is not a known field; allowed here: {allowed}"
    if error["type"] == "missing":
        return f"field {field!r} is missing (required)"
    value = error.get("input")
    message = error["msg"].removeprefix("Value error, ")
    return f"field {field!r}: value {value!r} is not allowed; {message}"


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = RegionProfile
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            break
        annotation = field.annotation
        inner = getattr(annotation, "__args__", None)
        candidates = [annotation, *(inner or ())]
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
    return sorted(model.model_fields)
