from tests.reminder_fixtures import (  # noqa: F401
    approver,
    editor,
    member,
    now,
    other_school,
    outsider,
    prefer,
    school,
    sent_to,
    today,
    viewer,
)
