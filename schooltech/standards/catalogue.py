"""Read and check the catalogue files (schooltech/standards/catalogue/) before anything is stored.

`read_catalogue()` returns plain, normalised data: every question gains an "I don't know" answer
(so it is always possible to answer), every answer names its next question ("" for the last) and
its effects on requirements. It raises CatalogueError, naming the file and the problem, for
anything the self-assessment could not use.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from schooltech.standards.duties import DATE_ANSWERS
from schooltech.standards.facts import FACT_RULES
from schooltech.standards.models import Cadence, PhaseGroup, Status, WhenToMeet

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
UNKNOWN = "unknown"  # the effect of "I don't know"
EFFECT_STATUSES = {Status.MEETS, Status.PARTLY, Status.DOES_NOT_MEET}
DONT_KNOW_TEXT = "I don't know"


class CatalogueError(ValueError):
    pass


def question_fingerprint(text: str, hint: str, options: list[tuple[str, str]]) -> str:
    """What a school was asked: the question, its hint and its options (key and wording).

    Two versions' questions with the same key and fingerprint are the same question, so an answer
    to one stands for the other. Effects and routing are left out on purpose: a corrected threshold
    re-scores the same answer, it does not need asking again.
    """
    asked = {"text": text.strip(), "hint": hint.strip(), "options": [[key, label.strip()] for key, label in options]}
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class ParsedCatalogue:
    label: str
    published: datetime.date | None
    digest: str
    standards: list[dict[str, Any]]


def read_catalogue(directory: Path = CATALOGUE_DIR) -> ParsedCatalogue:
    """The parsed catalogue; parsed again only when a file in the folder changes."""
    files = sorted(directory.glob("**/*.yaml"))
    return _read_cached(directory, tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))


@functools.lru_cache(maxsize=4)
def _read_cached(directory: Path, _stamp: tuple) -> ParsedCatalogue:
    index_path = directory / "catalogue.yaml"
    index = _load_yaml(index_path)
    files = [directory / "standards" / name for name in index.get("standards") or []]
    if not files:
        raise CatalogueError(f"{index_path}: list the standards' files under 'standards'")
    digest = hashlib.sha256()
    digest.update(index_path.read_bytes())
    standards = []
    for position, path in enumerate(files, start=1):
        digest.update(path.read_bytes())
        standards.append(_standard(_load_yaml(path), position, path))
    _unique([s["key"] for s in standards], "standard", index_path)
    _unique([d["key"] for s in standards for d in s["duties"]], "duty", index_path)
    published = index.get("published")
    return ParsedCatalogue(
        label=str(index.get("label") or "").strip() or _fail(index_path, "give the catalogue a 'label'"),
        published=published if isinstance(published, datetime.date) else None,
        digest=digest.hexdigest(),
        standards=standards,
    )


def _fail(path: Path, message: str):
    raise CatalogueError(f"{path.name}: {message}")


def _load_yaml(path: Path) -> dict:
    if not path.exists():
        raise CatalogueError(f"{path}: file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path.name}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        _fail(path, "expected a mapping at the top level")
    return data


def _unique(keys: list[str], what: str, path: Path) -> None:
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        _fail(path, f"{what} keys must be unique: {', '.join(duplicates)}")


def _required(data: dict, field: str, path: Path, where: str) -> Any:
    value = data.get(field)
    if value in (None, ""):
        _fail(path, f"{where}: '{field}' is missing")
    return value


def _standard(data: dict, position: int, path: Path) -> dict:
    key = _required(data, "key", path, "standard")
    requirements = [_requirement(r, i, path) for i, r in enumerate(data.get("requirements") or [], start=1)]
    if not requirements:
        _fail(path, "a standard needs at least one requirement")
    requirement_keys = [r["key"] for r in requirements]
    _unique(requirement_keys, "requirement", path)
    duties = [_duty(d, path, set(requirement_keys)) for d in data.get("duties") or []]
    questions = [_question(q, i, path, set(requirement_keys)) for i, q in enumerate(data.get("questions") or [], 1)]
    if not questions:
        _fail(path, "a standard needs at least one question")
    _check_date_questions(questions, {d["key"] for d in duties}, path)
    _unique([q["key"] for q in questions], "question", path)
    _check_routes(questions, path)
    affected = {effect["requirement"] for q in questions for a in q["answers"] for effect in a["effects"]}
    missing = [key for key in requirement_keys if key not in affected]
    if missing:
        _fail(path, f"no answer assesses {'requirement' if len(missing) == 1 else 'requirements'} {', '.join(missing)}")
    return {
        "key": key,
        "position": position,
        "title": _required(data, "title", path, key),
        "summary": _required(data, "summary", path, key).strip(),
        "is_core": bool(data.get("core")),
        "guidance_url": _guidance_url(data, path),
        "first_question": questions[0]["key"],
        "requirements": requirements,
        "duties": duties,
        "questions": questions,
    }


def _guidance_url(data: dict, path: Path) -> str:
    url = _required(data, "guidance", path, "standard")
    if not str(url).startswith("https://www.gov.uk/"):
        _fail(path, "'guidance' must link to a GOV.UK page")
    return url


def _requirement(data: dict, position: int, path: Path) -> dict:
    key = _required(data, "key", path, "requirement")
    when = _required(data, "when", path, key)
    if when not in WhenToMeet.values:
        _fail(path, f"{key}: 'when' must be one of {', '.join(WhenToMeet.values)}")
    thresholds = data.get("thresholds") or {}
    allowed = {"all", *PhaseGroup.values}
    if not thresholds or set(thresholds) - allowed or ("all" in thresholds and len(thresholds) > 1):
        _fail(path, f"{key}: 'thresholds' needs 'all', or 'primary' and 'secondary'")
    if "all" not in thresholds and set(thresholds) != set(PhaseGroup.values):
        _fail(path, f"{key}: give thresholds for both primary and secondary")
    return {
        "key": key,
        "position": position,
        "title": _required(data, "title", path, key),
        "description": _required(data, "description", path, key),
        "when_to_meet": when,
        "thresholds": {phase: str(text).strip() for phase, text in thresholds.items()},
        "recommendation": _required(data, "recommendation", path, key).strip(),
        "usually_done_by": data.get("who", ""),
    }


def _duty(data: dict, path: Path, requirement_keys: set[str]) -> dict:
    key = _required(data, "key", path, "duty")
    if data.get("cadence") not in Cadence.values:
        _fail(path, f"duty {key}: 'cadence' must be one of {', '.join(Cadence.values)}")
    requirement = data.get("requirement", "")
    if requirement and requirement not in requirement_keys:
        _fail(path, f"duty {key}: no requirement {requirement}")
    return {
        "key": key,
        "title": _required(data, "title", path, key),
        "cadence": data["cadence"],
        "usually_done_by": _required(data, "who", path, key),
        "requirement_key": requirement,
    }


def _effect_status(value: Any, where: str, path: Path) -> Any:
    if isinstance(value, dict):
        if set(value) != set(PhaseGroup.values):
            _fail(path, f"{where}: a phase-dependent effect needs 'primary' and 'secondary'")
        return {phase: _effect_status(status, where, path) for phase, status in value.items()}
    if value not in EFFECT_STATUSES:
        _fail(path, f"{where}: effect must be one of {', '.join(EFFECT_STATUSES)}")
    return value


def _question(data: dict, position: int, path: Path, requirement_keys: set[str]) -> dict:
    key = _required(data, "key", path, "question")
    rule = data.get("fact_rule", "")
    if rule and rule not in FACT_RULES:
        _fail(path, f"question {key}: no fact rule {rule} in facts.py")
    default_next = data.get("next") or ""
    answers = []
    for answer_position, answer in enumerate(data.get("answers") or [], start=1):
        answer_key = str(_required(answer, "key", path, f"question {key}"))
        if answer_key == "dont_know":
            _fail(path, f"question {key}: 'I don't know' is added for you")
        effects = []
        for requirement, status in (answer.get("effects") or {}).items():
            if requirement not in requirement_keys:
                _fail(path, f"question {key}, answer {answer_key}: no requirement {requirement}")
            where = f"question {key}, answer {answer_key}"
            effects.append({"requirement": requirement, "status": _effect_status(status, where, path)})
        answers.append(
            {
                "key": answer_key,
                "position": answer_position,
                "text": str(_required(answer, "text", path, f"question {key}")),
                "next_question": answer.get("next", default_next) or "",
                "effects": effects,
                "reason": answer.get("reason", ""),
            }
        )
    if len(answers) < 2:
        _fail(path, f"question {key}: give at least two answers")
    _unique([a["key"] for a in answers], f"question {key} answer", path)
    affected = sorted({e["requirement"] for a in answers for e in a["effects"]})
    answers.append(
        {
            "key": "dont_know",
            "position": len(answers) + 1,
            "text": DONT_KNOW_TEXT,
            "next_question": default_next,
            "effects": [{"requirement": requirement, "status": UNKNOWN} for requirement in affected],
            "reason": "",
        }
    )
    text, hint = str(_required(data, "text", path, key)).strip(), str(data.get("hint") or "").strip()
    return {
        "key": key,
        "position": position,
        "topic": _required(data, "topic", path, key),
        "text": text,
        "hint": hint,
        "fingerprint": question_fingerprint(text, hint, [(a["key"], a["text"]) for a in answers]),
        "who_to_ask": _required(data, "who_to_ask", path, key),
        "fact_rule": rule,
        "duty_key": str(data.get("duty") or ""),
        "answers": answers,
    }


def _check_date_questions(questions: list[dict], duty_keys: set[str], path: Path) -> None:
    """A "when did you last…" question names one of its standard's duties and has the three date answers."""
    for question in questions:
        if not question["duty_key"]:
            continue
        if question["duty_key"] not in duty_keys:
            _fail(path, f"question {question['key']}: no duty {question['duty_key']} in this standard")
        if question["fact_rule"]:
            _fail(path, f"question {question['key']}: a date question cannot have a fact rule")
        keys = [a["key"] for a in question["answers"] if a["key"] != "dont_know"]
        if sorted(keys) != sorted(DATE_ANSWERS):
            _fail(path, f"question {question['key']}: a date question's answers are {', '.join(DATE_ANSWERS)}")


def _check_routes(questions: list[dict], path: Path) -> None:
    """Every next question exists, the questions form no loop, and every one can be reached."""
    by_key = {q["key"]: q for q in questions}
    for question in questions:
        for answer in question["answers"]:
            target = answer["next_question"]
            if target and target not in by_key:
                _fail(path, f"question {question['key']}: next question {target} does not exist")
    reached: set[str] = set()  # every question below these has been checked for loops

    def visit(key: str, trail: tuple[str, ...]) -> None:
        if key in trail:
            _fail(path, f"questions loop: {' -> '.join((*trail, key))}")
        if key in reached:
            return
        for answer in by_key[key]["answers"]:
            if answer["next_question"]:
                visit(answer["next_question"], (*trail, key))
        reached.add(key)

    visit(questions[0]["key"], ())
    unreachable = [q["key"] for q in questions if q["key"] not in reached]
    if unreachable:
        _fail(
            path, f"no answer leads to {'question' if len(unreachable) == 1 else 'questions'} {', '.join(unreachable)}"
        )
