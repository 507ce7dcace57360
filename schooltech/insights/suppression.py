"""Which cells of a table of counts must be hidden so that no figure describes fewer than 5 schools.

Primary suppression hides every cell made from 1 to 4 schools. Secondary suppression stops those cells
being worked out by subtraction or addition: wherever a total is shown and exactly one of the parts that
add up to it is hidden, or a total is hidden and all its parts are shown, the smallest shown part is
hidden too, and this repeats until no such total is left (hiding one part can expose another total).
Cells with no schools are not cells at all.

A partition is (total cell, the cells that add up to it), for example (London, [its boroughs]) or
(England all phases, [England primary, England secondary, ...]). Works on any hashable cell names.
"""

from collections.abc import Hashable, Iterable

PRIMARY = "primary"
SECONDARY = "secondary"


def suppress(
    counts: dict[Hashable, int], partitions: Iterable[tuple[Hashable, list[Hashable]]], minimum: int = 5
) -> dict[Hashable, str]:
    """Each cell's suppression: "" (shown), PRIMARY or SECONDARY."""
    status = {cell: PRIMARY if 0 < count < minimum else "" for cell, count in counts.items() if count > 0}
    partitions = [(total, [cell for cell in parts if cell in status]) for total, parts in partitions if total in status]
    changed = True
    while changed:
        changed = False
        for total, parts in partitions:
            hidden = [cell for cell in parts if status[cell]]
            shown = [cell for cell in parts if not status[cell]]
            # A shown total with one hidden part gives that part away by subtraction; a hidden total
            # whose parts are all shown gives itself away by addition.
            exposed = len(hidden) == 1 if not status[total] else not hidden
            if exposed and shown:
                smallest = min(shown, key=lambda cell: (counts[cell], str(cell)))
                status[smallest] = SECONDARY
                changed = True
    return status
