""" "Most pressing" on the plan overview: open actions due by the end of next term or overdue, most
pressing band first; later occurrences are never among them, however high their band."""

import datetime

from schooltech.planning import selectors
from schooltech.planning.models import PlanAction, Priority

D = datetime.date
TODAY = D(2026, 12, 1)  # autumn term: next term (spring) ends on 31 March 2027


def action(key, due, priority=Priority.OTHER, status=PlanAction.Status.PLANNED):
    return PlanAction(key=key, title=key, due_date=due, priority=priority, status=status)


def test_only_actions_due_by_the_end_of_next_term_or_overdue_are_most_pressing():
    actions = [
        action("overdue-review", D(2026, 10, 1), Priority.STATUTORY),
        action("next-years-review", D(2027, 12, 1), Priority.STATUTORY),
        action("spring-switches", D(2027, 3, 31), Priority.SECURITY),
        action("summer-laptops", D(2027, 4, 1), Priority.SECURITY),
        action("deferred", D(2026, 12, 31), Priority.STATUTORY, PlanAction.Status.DEFERRED),
        action("this-term", D(2026, 12, 31)),
    ]
    pressing = selectors.most_pressing(actions, today=TODAY)
    assert [a.key for a in pressing] == ["overdue-review", "spring-switches", "this-term"]


def test_at_most_five_are_shown():
    actions = [action(f"a{n}", D(2027, 1, n + 1)) for n in range(8)]
    assert len(selectors.most_pressing(actions, today=TODAY)) == 5
