"""Region profiles: `regions/<id>.yaml`, their schema, and errors a consultant can act on.

A profile says which NUTS 2016 (or, with `nuts.version: 2021`, NUTS 2021) units make up the region, which joint challenges the EOCIC
Summary Report listed it under (with the source), optional peer regions and SWOT context,
and the consultant's overrides of the proposed measures. Unknown keys are rejected. Every
validation problem becomes a `ProfileError` naming the file, the field, the bad value and
what is allowed.

Profiles are edited by hand and may come from elsewhere, so reading one is defensive: at most
64 kB of UTF-8 text, YAML without aliases, tags or duplicate keys (`ProfileLoader`), at most
20 problems of at most 300 characters each (long values are clipped), and an id never names a
file outside the regions folder. See tests/profiles_corpus/ for the malformed profiles refused.
"""
from __future__ import annotations

import codecs
import re
import reprlib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workbench import paths
from workbench.concepts import CHALLENGE_IDS

NUTS_CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}\Z")  # used with .match: \Z, unlike $, refuses "DED\n"
REGION_ID = re.compile(r"[a-z][a-z0-9-]*\Z")
MAX_ID_LENGTH = 64
MAX_NAME = 100  # characters of a region or country name
MAX_TEXT = 2000  # characters of a quote, source, composition, opportunity or threat
MAX_PROFILE_BYTES = 64 * 1024  # the pilot profiles are 2-6 kB; YAML reads ~250 kB/s (a 64 kB file < 0.3 s)
MAX_PROBLEMS = 20  # problems listed per file; the rest are counted
MAX_PROBLEM_LENGTH = 300  # characters per problem; long values are clipped


class ProfileError(ValueError):
    """A region profile that cannot be used; the message is meant for the consultant."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = Path(path)
        self.problems = problems
        super().__init__(f"{clip(str(self.path), 200)}: " + "; ".join(problems))

    def __str__(self) -> str:
        lines = [f"{clip(str(self.path), 200)}: invalid region profile"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict):
    """A statement with the document it comes from."""

    text: str = Field(min_length=3, max_length=MAX_TEXT)
    source: str = Field(min_length=3, max_length=MAX_TEXT)


class PublishedChallenge(_Strict):
    """A joint challenge under which the EOCIC Summary Report lists the region."""

    challenge: Literal[CHALLENGE_IDS]  # type: ignore[valid-type]
    source: str = Field(min_length=3, max_length=MAX_TEXT)
    quote: str = Field(min_length=3, max_length=MAX_TEXT)


class Nuts(_Strict):
    """The NUTS units of the region: its own code and the NUTS 2 parts that make it up. With
    `version: 2021` the codes (and `peers`) may be NUTS 2021 codes; the analysis maps them to the
    snapshot's NUTS 2016 units (`workbench.analysis.region_units`)."""

    version: Literal[2016, 2021] = 2016
    code: str
    level: Literal[0, 1, 2]
    parts: tuple[str, ...] = Field(min_length=1)
    composition: str = Field(min_length=3, max_length=MAX_TEXT)

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
            if not part.startswith(self.code):  # NUTS codes nest: DED2 is in DED, not in DEA
                raise ValueError(f"part {part!r} is not inside {self.code!r}; allowed: NUTS 2 codes "
                                 f"that start with {self.code}")
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
    value: float = Field(allow_inf_nan=False)
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

    id: str = Field(max_length=MAX_ID_LENGTH)
    name: str = Field(min_length=2, max_length=MAX_NAME)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    country_name: str = Field(min_length=2, max_length=MAX_NAME)
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
    """`<regions folder>/<id>.yaml`; `ProfileError` when `region_id` is not an id (so that no
    id, such as `../regions/saxony`, names a file outside the regions folder)."""
    folder = regions_dir or paths.REGIONS_DIR
    if len(region_id) > MAX_ID_LENGTH or not REGION_ID.match(region_id):
        raise ProfileError(folder, [
            f"{clip(region_id)!r} is not a region id: lower-case letters, digits and hyphens, at most "
            f"{MAX_ID_LENGTH} characters, e.g. saxony (to check a file elsewhere, give its path ending in .yaml)"])
    return folder / f"{region_id}.yaml"


def region_ids(regions_dir: Path | None = None) -> list[str]:
    """Ids of all profiles in the regions folder, sorted."""
    folder = regions_dir or paths.REGIONS_DIR
    return sorted(p.stem for p in folder.glob("*.yaml"))


def load_profile(region_id_or_path: str | Path, regions_dir: Path | None = None) -> RegionProfile:
    """Read and validate one profile; raise `ProfileError` with every problem found.

    A path ending in .yaml/.yml is read as given; anything else is a region id, read from the
    regions folder (and only from there: a symbolic link out of it is refused too).
    """
    path = Path(region_id_or_path)
    if path.suffix not in {".yaml", ".yml"}:
        path = profile_path(str(region_id_or_path), regions_dir)
        folder = (regions_dir or paths.REGIONS_DIR).resolve()
        if path.exists() and not path.resolve().is_relative_to(folder):
            raise ProfileError(path, [f"the profile links to a file outside the regions folder {folder}"])
    try:
        exists = path.is_file()
    except OSError as error:  # e.g. a name too long for the file system
        raise ProfileError(path, [f"cannot read the file: {error.strerror or error}"]) from None
    if not exists:
        known = ", ".join(region_ids(path.parent)) if path.parent.is_dir() else ""
        raise ProfileError(path, [f"no such region profile; known regions: {known or 'none'}"])
    stat = path.stat()
    key = (str(path.resolve()), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if key not in _LOADED:
        _LOADED[key] = _validated(path)
        if len(_LOADED) > LOADED_CACHE_SIZE:
            _LOADED.pop(next(iter(_LOADED)))
    return _LOADED[key]


LOADED_CACHE_SIZE = 4096
"""Profiles kept once read, by file identity and change time: a run reads each profile in the
command-line checks and again in the runner (a profile is frozen, so sharing it is safe)."""
_LOADED: dict[tuple[str, int, int, int], RegionProfile] = {}


def _validated(path: Path) -> RegionProfile:
    raw = _read_yaml(path)
    try:
        profile = RegionProfile.model_validate(raw)
    except ValidationError as error:
        raise ProfileError(path, _describe_all(error.errors(), raw)) from None
    except RecursionError:
        raise ProfileError(path, ["the fields are nested too deeply to be a region profile"]) from None
    if profile.id != path.stem:
        raise ProfileError(path, [f"field 'id': value {clip(profile.id)!r} must equal the file name {clip(path.stem)!r}"])
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
_YAML = "tag:yaml.org,2002:"
PLAIN_TAGS = {f"{_YAML}{kind}" for kind in ("str", "int", "float", "bool", "null", "seq", "map")}
KEY_TAGS = {f"{_YAML}{kind}" for kind in ("str", "int", "float", "bool", "null")}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # escapes such as "\0" in quoted text
MAX_NUMBER_LENGTH = 32  # characters of a number; int() of 4,300+ digits raises, and no field needs more


class _Refused(yaml.MarkedYAMLError):
    """YAML that is valid but not accepted in a profile (aliases, tags, duplicate keys, huge numbers)."""

    def __init__(self, node: yaml.Node, problem: str):
        super().__init__(problem=problem, problem_mark=node.start_mark)


class ProfileLoader(SAFE_LOADER):  # type: ignore[valid-type,misc]
    """The safe loader without what a profile never needs and an attacker can use: aliases
    (a "billion laughs" file expands to gigabytes when printed), tags other than text, numbers,
    booleans, null, lists and mappings (`!!binary`, `!!set`, `!!timestamp`, `!custom`), merge
    keys, duplicate keys (which YAML resolves silently: the last one wins) and numbers too long
    to be a year, a priority or a target. Dates stay text (no implicit timestamps)."""

    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag in PLAIN_TAGS]
        for first, resolvers in SAFE_LOADER.yaml_implicit_resolvers.items()
    }

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Refused(node, "aliases (*name, <<: *name) are not allowed in a region profile; write the value out")
        if node.tag not in PLAIN_TAGS:
            raise _Refused(node, f"the YAML tag {clip(node.tag.replace(_YAML, '!!'), 40)} is not allowed; a region "
                                 "profile holds only text, numbers, true/false, lists and mappings")
        if node.tag == f"{_YAML}str" and CONTROL.search(node.value):
            raise _Refused(node, f"control character {CONTROL.search(node.value)[0]!r} in text; only printable "
                                 "characters, tabs and line breaks are allowed")
        if node.tag in {f"{_YAML}int", f"{_YAML}float"} and len(node.value) > MAX_NUMBER_LENGTH:
            raise _Refused(node, f"a number of {len(node.value):,} characters is not allowed; numbers in a "
                                 f"region profile have at most {MAX_NUMBER_LENGTH}")
        return super().construct_object(node, deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag not in KEY_TAGS:
                raise _Refused(key, "a key must be plain text, e.g. name")
            if key.value in first_line:
                raise _Refused(key, f"key {clip(key.value)!r} appears twice (lines {first_line[key.value]} and "
                                    f"{key.start_mark.line + 1}); YAML would silently keep only the last one")
            first_line[key.value] = key.start_mark.line + 1
        return super().construct_mapping(node, deep)


def _read_yaml(path: Path) -> Any:
    data = _read_text(path)
    try:
        data = yaml.load(data, Loader=ProfileLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        kind = "refused" if isinstance(error, _Refused) else "not valid YAML"
        raise ProfileError(path, [f"{kind}{where}: {problem}"]) from None
    except RecursionError:
        raise ProfileError(path, ["the YAML is nested too deeply to be a region profile"]) from None
    if not isinstance(data, dict):
        got = "nothing (the file is empty)" if data is None else f"a {type(data).__name__}"
        raise ProfileError(path, [f"the file must hold a mapping of fields (id: ..., name: ...), got {got}"])
    return data


def _read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), at most MAX_PROFILE_BYTES."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PROFILE_BYTES + 1)
    except OSError as error:
        raise ProfileError(path, [f"cannot read the file: {error.strerror or error}"]) from None
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileError(path, [f"the file is larger than {MAX_PROFILE_BYTES // 1024} kB; a region profile "
                                  "is a few kB of text"])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        raise ProfileError(path, ["the file is binary or UTF-16/UTF-32 text; save it as UTF-8 text"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ProfileError(path, [f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} at line {line}, "
                                  "e.g. Latin-1 or Windows-1252); save it as UTF-8"]) from None


def _describe_all(errors: list[Any], raw: dict[str, Any]) -> list[str]:
    """The first MAX_PROBLEMS problems, each clipped, and how many more there are."""
    problems = [clip(_describe(e, raw), MAX_PROBLEM_LENGTH) for e in errors[:MAX_PROBLEMS]]
    if len(errors) > MAX_PROBLEMS:
        problems.append(f"... and {len(errors) - MAX_PROBLEMS:,} more problems")
    return problems


def _describe(error: Any, raw: dict[str, Any]) -> str:
    """One line per pydantic error: field, bad value (clipped), what is allowed."""
    loc = [clip(str(part), 60) for part in error["loc"]]
    field = ".".join(loc) if loc else "(whole file)"
    if error["type"] == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(error["loc"][:-1]))
        return f"field {field!r} is not a known field; allowed here: {allowed}"
    if error["type"] == "missing":
        return f"field {field!r} is missing (required)"
    message = error["msg"].removeprefix("Value error, ")
    if isinstance(error.get("input"), dict):  # a check across a block's fields: the message names them
        return f"field {field!r}: {message}"
    return f"field {field!r}: value {shown(error.get('input'))} is not allowed; {message}"


def clip(text: str, limit: int = 80) -> str:
    """`text`, or its start and the number of characters left out when longer than `limit`."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"


_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict, _REPR.maxlevel = 80, 80, 5, 5, 5, 3


def shown(value: Any) -> str:
    """A bad value as a message shows it: its repr, at most about 100 characters."""
    if isinstance(value, str):
        return repr(clip(value))
    return clip(_REPR.repr(value), 100)


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
