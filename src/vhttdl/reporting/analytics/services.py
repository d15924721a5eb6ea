"""Keeping the aggregates fresh: apply one submission incrementally, or rebuild everything.

Which submissions count: those **approved** by the parent unit or **accepted** by the Ministry
(`COUNTED_STATUSES`). Drafts, submitted-but-unapproved and returned reports do not.

`aggregates_apply_submission` is called on commit by the reporting workflow whenever a
submission's state or values change. It takes out what the submission added before (from its
ledger, `AppliedSubmission`) and adds what it contributes now, as one set of signed deltas
upserted in key order (so concurrent updates of the Ministry's rows neither lose an increment nor
deadlock). `aggregates_follow_units` does the same when the tree changes (a unit moved or closed,
announced by `vhttdl.core.units.signals`): the reports of the units concerned are taken out of
where they counted and put in where they count now. `aggregates_rebuild` recomputes the same
tables from scratch with set-based SQL; tests prove all three give the same rows.

"Today's units" are the tree **as recorded now** (`RESOLVE_ON`): a unit with a closing date is
counted in its successors as soon as the closure is recorded, even when that date is today or
ahead. That is what the selectors list as today's units (`valid_to` empty), and it makes the
aggregates depend on the recorded tree and the counted values only, never on the clock: nothing
goes stale at midnight and no scheduled job is needed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from django.db import connection, transaction
from django.db.models import Q

from vhttdl.core.units.history import as_of, successor_map
from vhttdl.core.units.models import PATH_SEGMENT_WIDTH, Organisation
from vhttdl.reporting.analytics.models import AggregateValue, AggregateYear, AppliedSubmission, HistoryView
from vhttdl.reporting.models import DataElement, DataValue, Submission

logger = logging.getLogger(__name__)

COUNTED_STATUSES = (Submission.Status.APPROVED, Submission.Status.ACCEPTED)

# (view, organisation id, is_self)
Target = tuple[str, int, bool]
DeltaKey = tuple[str, int, int, int, int]  # view, data element, option combo, organisation, period

# Successors are followed to this date: past any closing date recorded (see the module docstring).
RESOLVE_ON = date.max


def ancestor_ids(path: str) -> list[int]:
    """The ids of a unit and of every unit above it, read from its materialised path (root first)."""
    width = PATH_SEGMENT_WIDTH
    return [int(path[i : i + width], 36) for i in range(0, len(path), width)]


def _targets(organisation_id: int, path: str, successors: Sequence[tuple[int, str]]) -> list[Target]:
    """Where a value reported by this unit is counted, in both history views."""
    reported = ancestor_ids(path)
    if [pk for pk, _path in successors] in ([], [organisation_id]):
        return [(HistoryView.BOTH, pk, pk == organisation_id) for pk in reported]
    succ_ids = {pk for pk, _path in successors}
    today_ids: list[int] = []
    for _pk, succ_path in successors:
        for pk in ancestor_ids(succ_path):
            if pk not in today_ids:
                today_ids.append(pk)
    return [(HistoryView.AS_REPORTED, pk, pk == organisation_id) for pk in reported] + [
        (HistoryView.TODAY, pk, pk in succ_ids) for pk in today_ids
    ]


def targets_for(organisation: Organisation, on: date = RESOLVE_ON) -> list[Target]:
    if organisation.valid_to is None or organisation.valid_to >= on:
        return _targets(organisation.pk, organisation.path, [])
    successors = [(u.pk, u.path) for u in as_of(organisation, on)]
    return _targets(organisation.pk, organisation.path, successors)


def _add(deltas: dict, targets: Iterable, values: Iterable, period_id: int, sign: int) -> None:
    targets = [tuple(t) for t in targets]
    for de_id, coc_id, number, rolled_up in values:
        for view, org_id, is_self in targets:
            if not rolled_up and not is_self:
                continue
            cell = deltas[(view, de_id, coc_id, org_id, period_id)]
            cell[0] += sign * number
            cell[1] += sign


def _upsert(deltas: dict[DeltaKey, list], period_start: dict[int, tuple[date, date]]) -> None:
    """Add signed (total, count) deltas to AggregateValue, and their calendar-year sums to AggregateYear,
    in one statement per batch, key order."""
    rows = [(k, v) for k, v in sorted(deltas.items()) if v[1] != 0 or abs(v[0]) > 1e-12]
    if not rows:
        return
    years: dict[tuple[str, int, int, int, int], list] = defaultdict(lambda: [0.0, 0])
    month_rows = []
    for (view, de_id, coc_id, org_id, period_id), (total, count) in rows:
        start, end = period_start[period_id]
        month_rows.append((view, de_id, coc_id, org_id, period_id, start, end, total, count))
        if start.year == end.year and start != date.min:  # a period inside one calendar year
            cell = years[(view, de_id, coc_id, org_id, start.year)]
            cell[0] += total
            cell[1] += count
    key = ("view", "data_element_id", "category_option_combo_id", "organisation_id")
    _add_rows(AggregateValue, (*key, "period_id"), ("period_start", "period_end"), month_rows)
    _add_rows(AggregateYear, (*key, "year"), (), [(*k, total, count) for k, (total, count) in sorted(years.items())
                                                  if count != 0 or abs(total) > 1e-12])


def _add_rows(model: type[AggregateValue] | type[AggregateYear], key_columns: tuple[str, ...],
              other_columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Upsert (key..., other..., total, count) rows adding to the stored totals; rows whose count falls
    to 0 go."""
    if not rows:
        return
    table = model._meta.db_table
    columns = (*key_columns, *other_columns, "total", "count")
    batch = 500
    emptied: list[int] = []  # cells whose last contribution went: deleted by id, nothing else scanned
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            chunk = rows[i : i + batch]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} "  # noqa: S608 - names are ours
                f"ON CONFLICT ({', '.join(key_columns)}) "
                f"DO UPDATE SET total = {table}.total + excluded.total, count = {table}.count + excluded.count "
                f"RETURNING id, count",
                [x for row in chunk for x in row],
            )
            emptied.extend(pk for pk, count in cursor.fetchall() if count <= 0)
    for i in range(0, len(emptied), batch):
        model._default_manager.filter(pk__in=emptied[i : i + batch]).delete()


def _current_contribution(submission: Submission | None) -> tuple[list[Target], list[list]]:
    if submission is None or submission.status not in COUNTED_STATUSES:
        return [], []
    rolled = dict(DataElement.objects.filter(
        values__submission_id=submission.pk).values_list("pk", "aggregation").distinct())
    values = [
        [de_id, coc_id, float(number), rolled.get(de_id) != DataElement.Aggregation.NONE]
        for de_id, coc_id, number in DataValue.objects.filter(
            submission_id=submission.pk, numeric_value__isnull=False
        ).values_list("data_element_id", "category_option_combo_id", "numeric_value")
    ]
    if not values:
        return [], []
    return targets_for(submission.organisation), values


def _read_unit_settled(organisation: Organisation) -> None:
    """Re-read the unit's place in the tree once no move or closure of it is still committing.

    PostgreSQL: the share lock waits for a move (which rewrites the path of every unit of the
    subtree) or a closure of this unit to commit, so the targets computed next are the new ones.
    Otherwise a report applied with the old targets could commit after `aggregates_follow_units`
    had looked for stale ledgers, and stay stale. SQLite has one writer at a time.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT path, valid_to FROM {Organisation._meta.db_table} WHERE id = %s FOR SHARE",  # noqa: S608
            [organisation.pk],
        )
        row = cursor.fetchone()
    if row is not None:
        organisation.path, organisation.valid_to = row


def aggregates_apply_submission(*, submission_id: int) -> None:
    """Bring the aggregates in line with this submission's current state and values.

    Safe to call any number of times, for any state: a submission that does not count (any more)
    is taken out; one that counts is put in with its current values.
    """
    with transaction.atomic():
        submission = (
            Submission.objects.select_related("organisation", "period").filter(pk=submission_id).first()
        )
        if submission is not None:
            # Serialise applies of the same submission (the row lock is released at commit).
            # order_by("pk"): the model's default ordering would join (and so lock) period and unit rows.
            Submission.objects.select_for_update().filter(pk=submission_id).order_by("pk").values_list(
                "pk", flat=True
            ).first()
            _read_unit_settled(submission.organisation)
        ledger = AppliedSubmission.objects.select_for_update().filter(pk=submission_id).first()
        new_targets, new_values = _current_contribution(submission)

        deltas: dict[DeltaKey, list] = defaultdict(lambda: [0.0, 0])
        periods: dict[int, tuple[date, date]] = {}
        if ledger is not None:
            _add(deltas, ledger.targets, ledger.values, ledger.period_id, -1)
            if ledger.period_id not in periods:
                from vhttdl.reporting.models import Period

                p = Period.objects.filter(pk=ledger.period_id).values_list("start_date", "end_date").first()
                periods[ledger.period_id] = p or (date.min, date.min)
        if new_values:
            _add(deltas, new_targets, new_values, submission.period_id, +1)
            periods[submission.period_id] = (submission.period.start_date, submission.period.end_date)
        _upsert(deltas, periods)

        if new_values:
            AppliedSubmission.objects.update_or_create(
                submission_id=submission_id,
                defaults={"organisation_id": submission.organisation_id, "period_id": submission.period_id,
                          "targets": [list(t) for t in new_targets], "values": new_values},
            )
        elif ledger is not None:
            ledger.delete()


def _all_targets() -> dict[int, list[Target]]:
    paths = dict(Organisation.objects.values_list("pk", "path"))
    mapping = successor_map(Organisation, RESOLVE_ON)
    return {
        pk: _targets(pk, path, [(s, paths[s]) for s in mapping.get(pk, [pk])])
        for pk, path in paths.items()
    }


def _affected_units(organisation_ids: Iterable[int]) -> set[int]:
    """The units whose reports may count elsewhere after these units were moved or closed.

    Every unit of their subtrees (their ancestors changed, or, for a closed unit, their view
    rows did) and every unit closed earlier whose figures are counted today in one of those
    (found backwards along the successor links, however many hops).
    """
    paths = list(Organisation.objects.filter(pk__in=list(organisation_ids)).values_list("path", flat=True))
    if not paths:
        return set()
    subtree = Q()
    for path in paths:
        subtree |= Q(path__startswith=path)
    units = set(Organisation.objects.filter(subtree).values_list("pk", flat=True))
    predecessors: dict[int, list[int]] = defaultdict(list)
    for from_id, to_id in Organisation.successors.through.objects.values_list(
        "from_organisation_id", "to_organisation_id"
    ):
        predecessors[to_id].append(from_id)
    frontier = list(units)
    while frontier:
        found = [p for pk in frontier for p in predecessors.get(pk, ()) if p not in units]
        units.update(found)
        frontier = found
    return units


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def aggregates_follow_units(*, organisation_ids: Iterable[int]) -> dict[str, int]:
    """Move the contributions of the reports concerned to where they count after a tree change.

    Called (in the background when a Celery broker is configured) after a unit was moved or
    closed. For each report of an affected unit whose ledger names other targets than the tree
    gives now, the values it added are taken out of the targets it no longer has and added to
    the new ones (the same signed deltas and upsert as `aggregates_apply_submission`): moving a
    museum from one department to another touches the two departments' rows and nothing shared
    above them. Each batch of reports is one transaction, so the aggregates always equal the sum
    of the ledgers. Safe to run again: reports already in place are left alone.
    """
    affected = sorted(_affected_units(organisation_ids))
    if not affected:
        return {"units": 0, "reports": 0}
    current = {pk: [list(t) for t in ts] for pk, ts in _all_targets().items()}
    stale: list[int] = []
    for unit_ids in _chunks(affected, 1000):
        for sub_id, org_id, stored in AppliedSubmission.objects.filter(organisation_id__in=unit_ids).values_list(
            "submission_id", "organisation_id", "targets"
        ).iterator(chunk_size=2000):
            if stored != current[org_id]:
                stale.append(sub_id)
    moved = 0
    from vhttdl.reporting.models import Period

    for batch in _chunks(sorted(stale), 500):
        with transaction.atomic():
            deltas: dict[DeltaKey, list] = defaultdict(lambda: [0.0, 0])
            changed: list[AppliedSubmission] = []
            for ledger in AppliedSubmission.objects.select_for_update().filter(pk__in=batch).order_by("pk"):
                new = current[ledger.organisation_id]
                if ledger.targets == new:  # re-applied meanwhile, already with the new targets
                    continue
                old_set = {tuple(t) for t in ledger.targets}
                new_set = {tuple(t) for t in new}
                _add(deltas, [t for t in ledger.targets if tuple(t) not in new_set], ledger.values,
                     ledger.period_id, -1)
                _add(deltas, [t for t in new if tuple(t) not in old_set], ledger.values, ledger.period_id, +1)
                ledger.targets = new
                changed.append(ledger)
            period_ids = {ledger.period_id for ledger in changed}
            periods = {pk: (start, end) for pk, start, end in Period.objects.filter(pk__in=period_ids).values_list(
                "pk", "start_date", "end_date")}
            for pk in period_ids - set(periods):
                periods[pk] = (date.min, date.min)
            _upsert(deltas, periods)
            AppliedSubmission.objects.bulk_update(changed, ["targets"], batch_size=500)
            moved += len(changed)
    counts = {"units": len(affected), "reports": moved}
    logger.info("analytics followed a unit change: %s", counts)
    return counts


def _drop_indexes() -> None:
    with connection.schema_editor() as editor:
        for index in AggregateValue._meta.indexes:
            editor.remove_index(AggregateValue, index)
        for constraint in AggregateValue._meta.constraints:
            editor.remove_constraint(AggregateValue, constraint)


def _create_indexes() -> None:
    with connection.schema_editor() as editor:
        for constraint in AggregateValue._meta.constraints:
            editor.add_constraint(AggregateValue, constraint)
        for index in AggregateValue._meta.indexes:
            editor.add_index(AggregateValue, index)


def _rebuild_years() -> None:
    """AggregateYear from AggregateValue: the rows of periods inside one calendar year, summed by year."""
    if connection.vendor == "postgresql":
        year = "CAST(EXTRACT(YEAR FROM {}) AS integer)"
    else:
        year = "CAST(strftime('%Y', {}) AS integer)"
    start, end = year.format("period_start"), year.format("period_end")
    columns = "view, data_element_id, category_option_combo_id, organisation_id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AggregateYear._meta.db_table} ({columns}, year, total, count) "  # noqa: S608 - ours
            f"SELECT {columns}, {start}, SUM(total), SUM(count) FROM {AggregateValue._meta.db_table} "
            f"WHERE {start} = {end} GROUP BY {columns}, {start}"
        )


def aggregates_rebuild() -> dict[str, int]:
    """Recompute every aggregate from the counted submissions. For recovery only: approvals and
    unit changes keep them up to date incrementally."""
    targets = _all_targets()
    counted = [str(s) for s in COUNTED_STATUSES]
    agg = AggregateValue._meta.db_table
    dv = DataValue._meta.db_table
    sub = Submission._meta.db_table
    de = DataElement._meta.db_table
    from vhttdl.reporting.models import Period

    pe = Period._meta.db_table
    with transaction.atomic():
        AggregateValue.objects.all().delete()
        AggregateYear._default_manager.all().delete()
        AppliedSubmission.objects.all().delete()
        # PostgreSQL: filling an indexed table row by row is many times slower than building the
        # indexes once afterwards. The table is locked for the rebuild's duration (pivots wait).
        rebuild_indexes = connection.vendor == "postgresql"
        if rebuild_indexes:
            _drop_indexes()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL work_mem = '256MB'")  # the GROUP BY stays in memory
            cursor.execute("DROP TABLE IF EXISTS analytics_target_map")
            cursor.execute(
                "CREATE TEMPORARY TABLE analytics_target_map "
                "(organisation_id bigint, view varchar(1), target_id bigint, is_self boolean)"
            )
            rows = [(org, view, target, is_self) for org, ts in targets.items() for view, target, is_self in ts]
            for i in range(0, len(rows), 5000):
                chunk = rows[i : i + 5000]
                cursor.execute(
                    "INSERT INTO analytics_target_map VALUES "  # noqa: S608 - placeholders only
                    + ", ".join(["(%s, %s, %s, %s)"] * len(chunk)),
                    [x for row in chunk for x in row],
                )
            status_list = ", ".join(["%s"] * len(counted))
            cursor.execute(
                f"INSERT INTO {agg} (view, data_element_id, category_option_combo_id, organisation_id, "  # noqa: S608
                f"period_id, period_start, period_end, total, count) "
                f"SELECT tm.view, v.data_element_id, v.category_option_combo_id, tm.target_id, s.period_id, "
                f"p.start_date, p.end_date, SUM(v.numeric_value), COUNT(*) "
                f"FROM {dv} v JOIN {sub} s ON s.id = v.submission_id "
                f"JOIN {pe} p ON p.id = s.period_id "
                f"JOIN {de} d ON d.id = v.data_element_id "
                f"JOIN analytics_target_map tm ON tm.organisation_id = s.organisation_id "
                f"WHERE s.status IN ({status_list}) AND v.numeric_value IS NOT NULL "
                f"AND (d.aggregation <> %s OR tm.is_self) "
                f"GROUP BY tm.view, v.data_element_id, v.category_option_combo_id, tm.target_id, s.period_id, "
                f"p.start_date, p.end_date",
                [*counted, DataElement.Aggregation.NONE.value],
            )
            cursor.execute("DROP TABLE analytics_target_map")
        if rebuild_indexes:
            _create_indexes()
        _rebuild_years()

        rolled = {pk: agg_type != DataElement.Aggregation.NONE
                  for pk, agg_type in DataElement.objects.values_list("pk", "aggregation")}
        stream = (
            DataValue.objects.filter(submission__status__in=counted, numeric_value__isnull=False)
            .order_by("submission_id")
            .values_list("submission_id", "submission__organisation_id", "submission__period_id",
                         "data_element_id", "category_option_combo_id", "numeric_value")
            .iterator(chunk_size=20000)
        )
        ledgers: list[AppliedSubmission] = []
        current: AppliedSubmission | None = None
        for sub_id, org_id, period_id, de_id, coc_id, number in stream:
            if current is None or current.submission_id != sub_id:
                current = AppliedSubmission(
                    submission_id=sub_id, organisation_id=org_id, period_id=period_id,
                    targets=[list(t) for t in targets[org_id]], values=[],
                )
                ledgers.append(current)
                if len(ledgers) >= 2000:
                    AppliedSubmission.objects.bulk_create(ledgers[:-1])
                    ledgers = ledgers[-1:]
            current.values.append([de_id, coc_id, float(number), rolled.get(de_id, True)])
        AppliedSubmission.objects.bulk_create(ledgers)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics, and a visibility map so pivots are answered from the covering index alone.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {agg}")
            cursor.execute(f"VACUUM ANALYZE {AggregateYear._meta.db_table}")
    counts = {"aggregates": AggregateValue.objects.count(), "submissions": AppliedSubmission.objects.count()}
    logger.info("analytics rebuilt: %s", counts)
    return counts
