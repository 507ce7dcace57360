"""Read and check `data/catalogue.yaml`: the training catalogue as data.

Every course must name known audiences, formats and costs, an https link, and only requirements
and duties of the current standards catalogue; every duty a course counts towards must say which
audiences it needs. A file with any problem is refused whole, naming the course and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from schooltech.training.models import Audience, Cost, CourseFormat

DATA_FILE = Path(__file__).resolve().parent / "data" / "catalogue.yaml"
COURSE_FIELDS = (
    "title",
    "provider",
    "url",
    "format",
    "cost",
    "cost_note",
    "duration",
    "summary",
    "audiences",
    "requirements",
    "duties",
)


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class TrainingCatalogue:
    version: str
    duties: dict[str, dict]  # duty key -> {"name": str, "audiences": [...], "note": str}
    courses: dict[str, dict]  # course key -> its fields


def _text(entry: dict, name: str, where: str, *, required: bool = True, limit: int = 300) -> str:
    value = entry.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise CatalogueError(f"{where}: {name} must be text")
    value = " ".join(value.split())
    if required and not value:
        raise CatalogueError(f"{where}: {name} is missing")
    if len(value) > limit:
        raise CatalogueError(f"{where}: {name} is longer than {limit} characters")
    return value


def _keys(entry: dict, name: str, where: str) -> list[str]:
    value = entry.get(name) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CatalogueError(f"{where}: {name} must be a list of keys")
    return list(dict.fromkeys(value))


def read_catalogue(path: Path = DATA_FILE, *, requirement_keys: set[str], duty_keys: set[str]) -> TrainingCatalogue:
    """The file's contents, checked against the current standards' requirement and duty keys."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path.name}: cannot be read ({error})") from None
    if not isinstance(data, dict) or not data.get("version"):
        raise CatalogueError(f"{path.name}: needs a version")
    duties: dict[str, dict] = {}
    for entry in data.get("duties") or []:
        where = f"{path.name}: duty {entry.get('duty', '?') if isinstance(entry, dict) else '?'}"
        if not isinstance(entry, dict) or entry.get("duty") not in duty_keys:
            raise CatalogueError(f"{where}: not a duty of the current standards catalogue")
        audiences = _keys(entry, "audiences", where)
        if not audiences or set(audiences) - set(Audience.values):
            raise CatalogueError(f"{where}: audiences must be some of {', '.join(Audience.values)}")
        duties[entry["duty"]] = {
            "name": _text(entry, "name", where, limit=100),
            "audiences": audiences,
            "note": _text(entry, "note", where, required=False, limit=2000),
        }
    courses: dict[str, dict] = {}
    for entry in data.get("courses") or []:
        key = entry.get("key") if isinstance(entry, dict) else None
        where = f"{path.name}: course {key or '?'}"
        if not isinstance(key, str) or not key.replace("-", "").isalnum() or len(key) > 80:
            raise CatalogueError(f"{where}: needs a key of letters, digits and hyphens")
        if key in courses:
            raise CatalogueError(f"{where}: the key is used twice")
        values = {
            "title": _text(entry, "title", where, limit=200),
            "provider": _text(entry, "provider", where, limit=200),
            "url": _text(entry, "url", where, limit=500),
            "format": _text(entry, "format", where, limit=20),
            "cost": _text(entry, "cost", where, limit=10),
            "cost_note": _text(entry, "cost_note", where, required=False),
            "duration": _text(entry, "duration", where, required=False, limit=100),
            "summary": _text(entry, "summary", where, limit=2000),
            "audiences": _keys(entry, "audiences", where),
            "requirements": _keys(entry, "requirements", where),
            "duties": _keys(entry, "duties", where),
        }
        if not values["url"].startswith("https://"):
            raise CatalogueError(f"{where}: the link must start with https://")
        if values["format"] not in CourseFormat.values:
            raise CatalogueError(f"{where}: format must be one of {', '.join(CourseFormat.values)}")
        if values["cost"] not in Cost.values:
            raise CatalogueError(f"{where}: cost must be one of {', '.join(Cost.values)}")
        if not values["audiences"] or set(values["audiences"]) - set(Audience.values):
            raise CatalogueError(f"{where}: audiences must be some of {', '.join(Audience.values)}")
        unknown = set(values["requirements"]) - requirement_keys
        if unknown:
            raise CatalogueError(f"{where}: unknown requirements {', '.join(sorted(unknown))}")
        uncovered = set(values["duties"]) - set(duties)
        if uncovered:
            raise CatalogueError(f"{where}: duties {', '.join(sorted(uncovered))} are not listed under duties")
        courses[key] = values
    if not courses:
        raise CatalogueError(f"{path.name}: lists no courses")
    return TrainingCatalogue(version=str(data["version"]), duties=duties, courses=courses)
