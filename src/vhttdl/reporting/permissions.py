"""Who may do what with reports. Roles and grants come from `core.accounts`; these are the object rules.

The rules, as the issue states them and as decided here:

* **Enter** (edit values, submit, upload Excel): a unit enters only its own data. The actor needs
  `reporting.enter` granted *at exactly the submitting unit*; a grant higher up does not reach
  down (a department officer does not type a museum's figures; the museum does). Entry is open
  while the report is a draft or returned, and, for a form with `expiry_days`, only until
  `periods.entry_closes_on` unless a higher level has returned the report for correction.
* **View**: the subtree of every `reporting.view` grant, plus the units that *preceded* a granted
  unit (followed through `successors`, e.g. today's Tuyên Quang department SO-08 sees the 2024
  reports of SO-02-2025 Hà Giang and SO-08-2025 Tuyên Quang, read-only). The Ministry sees all.
* **Approve**: the parent level approves. The actor needs `reporting.approve` on the submitting
  unit's *parent* (a grant at the parent or above): a department leader approves the reports of
  the units below the department. A unit right under the Ministry (a department, an agency) has
  its own report approved by its own leadership, `reporting.approve` granted *at the unit itself*
  (the Ministry's grants do not reach down here: the Ministry's step is to accept), so that a
  department officer's report never goes to the Ministry without the department leader's approval.
  DHIS2's rule is checked in the workflow service: all units below that must submit the same form
  for the same period are approved first.
* **Accept**: `reporting.accept` on the unit (the Ministry's grants), once approved. One step at a
  time: a submitted report offers "approve" only, an approved one "accept" only.
* **Return / reopen**: whoever may take the next step may send it back (reason required): the
  approver while submitted or approved, the Ministry (accept) while approved or accepted.
* **Design** forms and indicators: `reporting.design` anywhere (the Ministry's officers).

Superusers and `policy.SYSTEM` pass every rule.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q

from vhttdl.core.accounts.policy import can, granted_paths, held_grants
from vhttdl.core.units.models import Organisation
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.models import Submission

if TYPE_CHECKING:
    from vhttdl.reporting.models import ReportForm

ENTRY_STATUSES = frozenset({Submission.Status.DRAFT, Submission.Status.RETURNED})
_PREDECESSOR_HOPS = 5
_VIEW_PATHS_ATTR = "_vhttdl_reporting_view_paths"


def _active(actor: Any) -> bool:
    return (
        actor is not None and getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False)
    )


def is_superuser(actor: Any) -> bool:
    return _active(actor) and bool(getattr(actor, "is_superuser", False))


def entry_organisation_ids(actor: Any) -> set[int]:
    """Units whose own data `actor` may enter (grants of `reporting.enter` held at the unit itself)."""
    return {g.organisation_id for g in held_grants(actor) if ReportingAction.ENTER in g.actions}


def view_paths(actor: Any) -> list[str] | None:
    """Path prefixes the actor may view; None means everything. Adds predecessors of granted units."""
    if not _active(actor):
        return []
    if is_superuser(actor):
        return None
    cached = getattr(actor, _VIEW_PATHS_ATTR, None)
    if cached is not None:
        return cached
    paths = granted_paths(actor, ReportingAction.VIEW)
    if paths:
        # The granted units themselves: the held grants already carry their ids (no query).
        folded_paths = set(paths)
        roots = sorted({g.organisation_id for g in held_grants(actor)
                        if ReportingAction.VIEW in g.actions and g.path in folded_paths})
        extra_paths = _predecessor_paths(roots)
        if extra_paths:
            paths = sorted(set(paths) | set(extra_paths))
            folded: list[str] = []
            for path in paths:
                if not folded or not path.startswith(folded[-1]):
                    folded.append(path)
            paths = folded
    try:
        setattr(actor, _VIEW_PATHS_ATTR, paths)
    except AttributeError:  # pragma: no cover - an actor object that refuses attributes
        pass
    return paths


def _predecessor_paths(roots: list[int]) -> list[str]:
    """Paths of the units that preceded `roots` (through `successors`, at most _PREDECESSOR_HOPS
    steps back), the roots themselves left out: one recursive query on PostgreSQL and SQLite alike."""
    if not roots:
        return []
    through = Organisation.successors.through
    quote = connection.ops.quote_name
    edges, units = quote(through._meta.db_table), quote(Organisation._meta.db_table)
    marks = ", ".join(["%s"] * len(roots))
    sql = (
        f"WITH RECURSIVE earlier(id, hop) AS ("  # noqa: S608 - table names from the models, values bound
        f"SELECT from_organisation_id, 1 FROM {edges} WHERE to_organisation_id IN ({marks}) "
        f"UNION SELECT e.from_organisation_id, earlier.hop + 1 FROM {edges} e "
        f"JOIN earlier ON e.to_organisation_id = earlier.id WHERE earlier.hop < %s) "
        f"SELECT DISTINCT o.path FROM {units} o JOIN earlier ON o.id = earlier.id WHERE o.id NOT IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*roots, _PREDECESSOR_HOPS, *roots])
        return [row[0] for row in cursor.fetchall()]


def view_condition(actor: Any, *, via: str = "organisation") -> Q | None:
    """A Q limiting rows (reached through `via` to their Organisation) to what the actor may view.

    None: no limit (superuser). An impossible Q when the actor may view nothing.
    """
    paths = view_paths(actor)
    if paths is None:
        return None
    if not paths:
        return Q(pk__in=[])
    lookup = f"{via}__path__startswith" if via else "path__startswith"
    condition = Q()
    for path in paths:
        condition |= Q(**{lookup: path})
    return condition


def can_view(actor: Any, submission: Submission) -> bool:
    paths = view_paths(actor)
    if paths is None:
        return True
    return any(submission.organisation.path.startswith(p) for p in paths)


def can_enter_for(actor: Any, organisation: Organisation) -> bool:
    """May `actor` enter this unit's own data (ignoring the report's state)?"""
    if is_superuser(actor):
        return True
    return _active(actor) and organisation.pk in entry_organisation_ids(actor)


def entry_expired(form: ReportForm, submission: Submission, today: date) -> bool:
    """DHIS2's expiryDays: a draft (never returned) locks once the form's entry window has passed."""
    from vhttdl.reporting.periods import entry_closes_on

    closes = entry_closes_on(form, submission.period)
    return closes is not None and today > closes and submission.status == Submission.Status.DRAFT


def can_enter(actor: Any, submission: Submission, today: date | None = None) -> bool:
    """May `actor` change values of this report now?"""
    from django.utils import timezone

    if submission.status not in ENTRY_STATUSES:
        return False
    if not can_enter_for(actor, submission.organisation):
        return False
    if is_superuser(actor):
        return True
    return not entry_expired(submission.form, submission, today or timezone.localdate())


def approves_itself(organisation: Organisation) -> bool:
    """A unit right under the Ministry: its own leadership approves its reports, then the Ministry accepts."""
    parent = organisation.parent
    return parent is not None and parent.parent_id is None


def approving_unit(submission: Submission) -> Organisation | None:
    """The unit whose leaders approve this report: the parent, or the unit itself right under the Ministry."""
    organisation = submission.organisation
    if organisation.parent is None:
        return None
    return organisation if approves_itself(organisation) else organisation.parent


def approve_own_ids(actor: Any) -> set[int]:
    """Units where `actor` holds `reporting.approve` granted at the unit itself."""
    return {g.organisation_id for g in held_grants(actor) if ReportingAction.APPROVE in g.actions}


def can_approve(actor: Any, submission: Submission) -> bool:
    organisation = submission.organisation
    if organisation.parent is None or is_superuser(actor):
        return is_superuser(actor)
    if approves_itself(organisation):
        return _active(actor) and organisation.pk in approve_own_ids(actor)
    return can(actor, ReportingAction.APPROVE, organisation.parent)


def can_accept(actor: Any, submission: Submission) -> bool:
    return can(actor, ReportingAction.ACCEPT, submission.organisation)


def can_return(actor: Any, submission: Submission) -> bool:
    status = submission.status
    if status == Submission.Status.SUBMITTED:
        return can_approve(actor, submission)
    if status == Submission.Status.APPROVED:
        return can_approve(actor, submission) or can_accept(actor, submission)
    if status == Submission.Status.ACCEPTED:
        return can_accept(actor, submission)
    return False


def can_design(actor: Any) -> bool:
    return can(actor, ReportingAction.DESIGN)


def allowed_actions(actor: Any, submission: Submission) -> dict[str, bool]:
    """What the page may offer: enter, submit, approve, accept, return."""
    status = submission.status
    enter = can_enter(actor, submission)
    return {
        "view": can_view(actor, submission),
        "enter": enter,
        "submit": enter,
        "approve": status == Submission.Status.SUBMITTED and can_approve(actor, submission),
        "accept": status == Submission.Status.APPROVED and can_accept(actor, submission),
        "return": can_return(actor, submission),
    }
