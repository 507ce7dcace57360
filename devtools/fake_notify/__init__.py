"""A fake GOV.UK Notify for local runs, tests and the benchmark (loopback only, no Django).

It implements the parts of the Notify API this service uses, checks the client's JWT the way
Notify does, answers 429 beyond a rolling per-minute limit, can be told to fail or go down,
records what was sent (once per reference) and posts delivery receipts to the service's callback.
"""

from devtools.fake_notify.server import FakeNotify

__all__ = ["FakeNotify"]
