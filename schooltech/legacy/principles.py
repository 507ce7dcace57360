"""Reading the department's principles and standards (principles.yaml) before they are loaded."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

PRINCIPLES_FILE = Path(__file__).with_name("principles.yaml")
KINDS = ("principle", "standard")


class PrinciplesError(ValueError):
    """The file is not a valid set of principles; the message says where."""


def read(path: Path = PRINCIPLES_FILE) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("principles"), list) or not data["principles"]:
        raise PrinciplesError(f"{path.name}: needs a label, a published date and a list of principles")
    label = str(data.get("label") or "").strip()
    published = data.get("published")
    if not label or not isinstance(published, datetime.date):
        raise PrinciplesError(f"{path.name}: needs a label and a published date (YYYY-MM-DD)")
    for number, item in enumerate(data["principles"], start=1):
        missing = [name for name in ("key", "kind", "title", "description") if not (item or {}).get(name)]
        if missing:
            raise PrinciplesError(f"{path.name}: principle {number} has no {', '.join(missing)}")
        if item["kind"] not in KINDS:
            raise PrinciplesError(f"{path.name}: principle {number} must be a principle or a standard")
    return {"label": label, "published_on": published, "principles": data["principles"]}
