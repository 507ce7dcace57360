"""A school's facts changed: the apps that keep something built from them hear about it.

The app that owns the facts (a register in estate, a self-assessment or duty record in standards)
calls `school_facts_changed` inside its write. Apps that derive something from those facts (the
plan) connect to `facts_changed` in their `AppConfig.ready()`. So the owner never imports the
listener: the dependency points down, as with `standards/register_facts.py` and the reminder
registry.

Listeners run at once, inside the caller's transaction: they should only note that work is due
and queue it with `transaction.on_commit`, so a change that rolls back queues nothing.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with establishment_id (int) and what (a short sentence a person reads: "The assets register changed").
facts_changed = Signal()


def school_facts_changed(*, establishment_id: int, what: str) -> None:
    facts_changed.send(sender=None, establishment_id=establishment_id, what=what)


# Sent with establishment_ids (list of int) and what: many schools' facts at once, from a bulk write
# (generated demo and benchmark data), so a listener can do one query for all of them.
many_facts_changed = Signal()


def schools_facts_changed(*, establishment_ids: list[int], what: str) -> None:
    many_facts_changed.send(sender=None, establishment_ids=establishment_ids, what=what)
