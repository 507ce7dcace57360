"""The one place that decides what text an establishment search matches."""


def build_search_text(*, name: str, town: str, postcode: str) -> str:
    """Lower-cased name, town and postcode, with the postcode also written without its space."""
    parts = [name, town, postcode, postcode.replace(" ", "")]
    return " | ".join(part.strip().lower() for part in parts if part and part.strip())
