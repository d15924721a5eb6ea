"""Every write of the reporting system. Split by concern; import from here."""

from vhttdl.reporting.services.entry import (
    CellError,
    CellInput,
    SaveResult,
    changes_since,
    submission_open,
    submission_values_save,
)
from vhttdl.reporting.services.workflow import (
    children_not_approved,
    reminders_send,
    rule_failures,
    submission_accept,
    submission_approve,
    submission_return,
    submission_submit,
    unsubmitted_before_deadline,
)

__all__ = [
    "CellError",
    "CellInput",
    "SaveResult",
    "changes_since",
    "children_not_approved",
    "reminders_send",
    "rule_failures",
    "submission_accept",
    "submission_approve",
    "submission_open",
    "submission_return",
    "submission_submit",
    "submission_values_save",
    "unsubmitted_before_deadline",
]
