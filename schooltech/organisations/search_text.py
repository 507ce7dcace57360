"""The one place that decides what text an establishment search matches.

Search works on words ("tokens"): an establishment's name and town split into normalised words, its
postcode's two halves and the postcode without its space, its URN and its UKPRN. A query is normalised
the same way, and each query word must match one of a school's tokens (see selectors.establishment_search).
"""

import re
import unicodedata

TOKEN_MAX_LENGTH = 40
_APOSTROPHES = str.maketrans("", "", "'\u2018\u2019\u02bc`\u00b4")
# Letters that Unicode decomposition does not fold to a-z.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
)
_LETTERS_AND_DIGITS = re.compile(r"[0-9a-z]+")
_INWARD_CODE_LENGTH = 3  # every UK postcode ends with a digit and two letters


def build_search_text(*, name: str, town: str, postcode: str) -> str:
    """Lower-cased name, town and postcode, with the postcode also written without its space.

    Kept for the Establishment.search_text column, which tests/factories.py still sets;
    search itself uses the tokens below.
    """
    parts = [name, town, postcode, postcode.replace(" ", "")]
    return " | ".join(part.strip().lower() for part in parts if part and part.strip())


def normalised_words(text: str) -> list[str]:
    """Lower-case words with accents folded and apostrophes removed: "St Mary's, Bürgess" -> st, marys, burgess.

    Anything that is not a letter or digit (spaces, hyphens, full stops, ampersands) separates words.
    Words are cut to TOKEN_MAX_LENGTH, so a longer query word still matches by prefix.
    """
    if text.isascii():  # nearly every GIAS name: skip the slower Unicode steps
        folded = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        folded = "".join(character for character in decomposed if not unicodedata.combining(character))
        folded = folded.casefold().translate(_LETTERS_WITHOUT_DECOMPOSITION)
    words = _LETTERS_AND_DIGITS.findall(folded.translate(_APOSTROPHES))
    return [word[:TOKEN_MAX_LENGTH] for word in words]


def postcode_tokens(postcode: str) -> list[str]:
    """The outward code, the inward code and the whole postcode without its space: nw3, 2bq, nw32bq."""
    compact = "".join(normalised_words(postcode))
    if len(compact) <= _INWARD_CODE_LENGTH:
        return [compact] if compact else []
    return [compact[:-_INWARD_CODE_LENGTH], compact[-_INWARD_CODE_LENGTH:], compact]


def establishment_tokens(*, name: str, town: str, postcode: str, urn: str, ukprn: str) -> set[str]:
    """Every distinct token an establishment can be found by."""
    tokens: set[str] = set(normalised_words(name))
    tokens.update(normalised_words(town))
    tokens.update(postcode_tokens(postcode))
    tokens.update(normalised_words(urn))
    tokens.update(normalised_words(ukprn))
    return tokens


def query_words(query: str) -> list[str]:
    """The distinct normalised words of a search query, in the order typed."""
    return list(dict.fromkeys(normalised_words(query)))


def prefix_upper_bound(word: str) -> str:
    """The smallest string greater than every string starting with word (word holds only 0-9 and a-z).

    token >= word AND token < prefix_upper_bound(word) is a prefix match that both SQLite and PostgreSQL
    answer with a B-tree range scan, whatever the column's collation, unlike LIKE 'word%'.
    """
    return word[:-1] + chr(ord(word[-1]) + 1)
