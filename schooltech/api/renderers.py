"""JSON that every client can parse: RFC 8259 has no NaN or Infinity.

Values are bounded when they come in (core/validation.py), but a number stored before those bounds
must still be answered as valid JSON: a non-finite number is sent as null ("not known").
"""

import json
import math
from typing import Any

from ninja.renderers import JSONRenderer


def finite_or_none(data: Any) -> Any:
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite_or_none(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite_or_none(value) for value in data]
    return data


class StrictJSONRenderer(JSONRenderer):
    def render(self, request, data: Any, *, response_status: int) -> str:
        return json.dumps(finite_or_none(data), cls=self.encoder_class, allow_nan=False)
