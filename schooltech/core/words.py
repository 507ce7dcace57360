"""Counted nouns in plain English: "1 school", "3 schools", "1 change", never "school(s)"."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """The number and the noun, singular for exactly one; the plural defaults to the noun plus "s"."""
    noun = singular if number == 1 else (plural or singular + "s")
    return f"{number:,} {noun}"
