"""The sharing notice: what each choice shares, who sees it and what stopping does. Versioned, so each
choice records which words the approver read. Change NOTICE_VERSION whenever these words change."""

from dataclasses import dataclass

NOTICE_VERSION = "2026-12"
MINIMUM_CELL = 5  # no published figure is made from fewer schools than this


@dataclass(frozen=True)
class SharingCategory:
    key: str  # the SharingChoice field
    name: str
    what: str


CATEGORIES = [
    SharingCategory(
        key="standards",
        name="Standards results",
        what=(
            "Whether the school meets, partly meets or does not meet each digital and technology standard and "
            "each of its requirements, from your latest submitted self-assessments."
        ),
    ),
    SharingCategory(
        key="estate",
        name="Estate figures",
        what=(
            "Counts and yes-or-no facts worked out from your registers: for example the type and speed of your "
            "internet connection, whether you have a backup line, how many devices, switches and access points "
            "are past support, devices per pupil, whether cloud services use multi-factor authentication, and "
            "the value of contracts ending in the next 12 months. Never the registers themselves, serial "
            "numbers, suppliers' names or anyone's name."
        ),
    ),
    SharingCategory(
        key="plans",
        name="Plan figures",
        what=(
            "Planned spending by financial year and category from your technology plan. Never the plan's "
            "actions, notes or anyone's name."
        ),
    ),
]
CATEGORY_KEYS = [category.key for category in CATEGORIES]
