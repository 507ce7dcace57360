"""Write many register rows, with their history rows, fast enough for a 20,000-row file: the
shared COPY helpers of `core.bulk` (PostgreSQL), Django's bulk helpers elsewhere."""

from schooltech.core.bulk import analyse, create_with_history, insert, update_with_history

__all__ = ["analyse", "create_with_history", "insert", "update_with_history"]
