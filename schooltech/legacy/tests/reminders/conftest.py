from tests.reminder_fixtures import (  # noqa: F401
    approver,
    editor,
    member,
    now,
    prefer,
    school,
    sent_to,
    today,
)
