"""No published figure describes fewer than 5 schools, and none can be worked out by subtraction."""

from itertools import combinations

from schooltech.insights import aggregation
from schooltech.insights.metrics import COVERAGE, ESTATE_METRICS
from schooltech.insights.suppression import PRIMARY, SECONDARY, suppress

FULL_FIBRE = next(metric for metric in ESTATE_METRICS if metric.key == "estate.full_fibre")


def test_cells_of_one_to_four_schools_are_hidden_and_empty_cells_do_not_exist():
    status = suppress({"a": 4, "b": 5, "c": 1, "d": 0}, [])
    assert status == {"a": PRIMARY, "b": "", "c": PRIMARY}


def test_a_lone_hidden_part_of_a_shown_total_takes_the_smallest_other_part_with_it():
    counts = {"total": 30, "small": 3, "medium": 7, "large": 20}
    status = suppress(counts, [("total", ["small", "medium", "large"])])
    assert status == {"total": "", "small": PRIMARY, "medium": SECONDARY, "large": ""}


def test_hiding_one_part_can_expose_another_total_and_that_is_fixed_too():
    # London = Camden + Hackney; Camden = Camden primary + Camden secondary. Hiding Camden primary (3) hides
    # Camden secondary (6), which leaves London's by-phase totals to fix in the next pass.
    counts = {
        "london": 40, "camden": 9, "hackney": 31,
        "london primary": 25, "london secondary": 15,
        "camden primary": 3, "camden secondary": 6, "hackney primary": 22, "hackney secondary": 9,
    }  # fmt: skip
    partitions = [
        ("london", ["camden", "hackney"]),
        ("camden", ["camden primary", "camden secondary"]),
        ("hackney", ["hackney primary", "hackney secondary"]),
        ("london primary", ["camden primary", "hackney primary"]),
        ("london secondary", ["camden secondary", "hackney secondary"]),
    ]
    status = suppress(counts, partitions)
    assert status["camden primary"] == PRIMARY
    assert status["camden secondary"] == SECONDARY
    _assert_no_lone_hidden_part(status, partitions)
    assert status["hackney"] == ""  # only what must be hidden is hidden


def _assert_no_lone_hidden_part(status, partitions) -> None:
    for total, parts in partitions:
        hidden = [part for part in parts if status.get(part)]
        if status.get(total) == "":
            assert len(hidden) != 1, f"{hidden[0]} can be worked out from {total}"
        else:
            assert hidden, f"{total} is the sum of its shown parts"


def test_a_hidden_total_cannot_be_added_up_from_its_shown_parts():
    # Camden is hidden only to protect a neighbour; its primaries alone would add up to it.
    counts = {"london": 12, "camden": 8, "hackney": 4, "camden primary": 8, "hackney primary": 4}
    partitions = [
        ("london", ["camden", "hackney"]),
        ("camden", ["camden primary"]),
        ("hackney", ["hackney primary"]),
    ]
    status = suppress(counts, partitions)
    assert status["camden"] == SECONDARY
    assert status["camden primary"] == SECONDARY
    _assert_no_lone_hidden_part(status, partitions)


def _place(region, la, phase, trust=""):
    return aggregation.SchoolPlace(region, la, f"LA {la}", trust, f"Trust {trust}" if trust else "", phase)


def _table(places):
    tables = aggregation.build_tables({FULL_FIBRE.key: FULL_FIBRE}, [(FULL_FIBRE.key, 1.0, 1.0, p) for p in places])
    table = tables[FULL_FIBRE.key]
    aggregation.apply_suppression(table)
    return table


def test_a_small_local_authority_cannot_be_worked_out_from_its_region_or_from_england():
    places = (
        [_place("London", "202", "Primary")] * 3  # Camden: 3 schools, below the minimum
        + [_place("London", "204", "Primary")] * 8
        + [_place("London", "206", "Secondary")] * 9
        + [_place("North East", "390", "Primary")] * 12
    )
    table = _table(places)
    cells = table.cells
    assert cells[("local_authority", "202", "")].suppression == PRIMARY
    shown = {key: cell for key, cell in cells.items() if not cell.suppression}
    # Every way of subtracting shown cells from a shown total that they are parts of leaves 0 or 2+ schools.
    for total, parts in aggregation.partitions(table):
        if total not in shown:
            continue
        hidden_parts = [part for part in parts if part in cells and part not in shown]
        assert len(hidden_parts) != 1, f"{hidden_parts} can be worked out from {total}"
        if hidden_parts:
            assert sum(cells[part].schools for part in hidden_parts) >= 5 or len(hidden_parts) >= 2


def test_differencing_by_brute_force_never_reveals_fewer_than_five_schools():
    places = (
        [_place("London", "202", "Primary", "T1")] * 2
        + [_place("London", "202", "Secondary")] * 6
        + [_place("London", "204", "Primary", "T1")] * 4
        + [_place("London", "204", "Secondary")] * 5
        + [_place("London", "206", "Special")] * 1
        + [_place("London", "206", "Primary")] * 9
        + [_place("South East", "850", "Primary")] * 7
    )
    table = _table(places)
    public = {key: cell for key, cell in table.cells.items() if key[0] != "trust"}
    shown = {key for key, cell in public.items() if not cell.suppression}
    assert any(cell.suppression == SECONDARY for cell in public.values())  # the rule had work to do
    for total, parts in aggregation.partitions(table):
        if total not in shown:
            continue
        present = [part for part in parts if part in public]
        for size in range(1, len(present) + 1):
            for subset in combinations(present, size):
                rest = [part for part in present if part not in subset]
                if all(part in shown for part in rest) and any(part not in shown for part in subset):
                    revealed = public[total].schools - sum(public[part].schools for part in rest)
                    assert len(subset) >= 2 or revealed >= 5, f"{subset} revealed from {total}"


def test_trust_cells_are_suppressed_below_five_schools():
    table = _table([_place("London", "202", "Primary", "T1")] * 4 + [_place("London", "202", "Primary")] * 10)
    assert table.cells[("trust", "T1", "")].suppression == PRIMARY


def test_the_coverage_metric_is_public_and_counts_shares():
    assert COVERAGE.is_public
    assert COVERAGE.figure(5, 20) == 25.0
