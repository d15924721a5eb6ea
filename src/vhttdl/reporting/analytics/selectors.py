"""Reading the aggregates: indicator × period × unit (× disaggregation), scoped to the caller.

Over the unit tree a unit's value includes its subtree (stored that way). Over periods, the
stored periods inside a requested one are rolled up by the element's aggregation type:

* sum: added; average: the mean of every value counted (Σ total / Σ count);
* last: the value of the latest stored period inside the requested one (a stock at period end),
  summed over the subtree for that period. Unlike DHIS2's "last value, sum over units", a child
  that reported only an earlier month of the span is not carried forward;
* none: not aggregated at all: only the exact period, only at the unit that reported it.

History views: "as_reported" (units by the names they reported under: Hà Giang's department
for 2024) and "today" (the same figures counted in today's successor, Tuyên Quang).
Only approved or accepted reports count (see `services.COUNTED_STATUSES`).
"""

from __future__ import annotations

import calendar
import functools
from collections import defaultdict
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.units.history import today as today_local
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import permissions
from vhttdl.reporting.analytics.models import AggregateValue, AggregateYear, HistoryView
from vhttdl.reporting.models import CategoryOptionCombo, DataElement, PeriodType
from vhttdl.reporting.periods import ParsedPeriod, codes_in_range, parse_period, period_label

AS_REPORTED = "as_reported"
TODAY = "today"
HISTORY_VIEWS = {AS_REPORTED: HistoryView.AS_REPORTED, TODAY: HistoryView.TODAY}
TOTAL = ""  # the column key of "all disaggregations together"


class Cell(NamedTuple):  # a tuple: a national pivot builds hundreds per query
    dx: str
    pe: str
    ou: str
    co: str  # option combo code, category option code, or "" (total)
    value: float


# --- periods ------------------------------------------------------------------------------------


def _month_start(on: date, back: int = 0) -> date:
    index = on.year * 12 + on.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _codes(period_type: str, start: date, end: date) -> list[str]:
    return codes_in_range(period_type, start, end)


def relative_period_codes(keyword: str, on: date | None = None) -> list[str] | None:
    """DHIS2's relative periods; None when `keyword` is not one."""
    on = on or today_local()
    key = keyword.strip().upper()
    this_month = _month_start(on)
    last_month = _month_start(on, 1)
    quarter_start = date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)
    if key == "THIS_MONTH":
        return [f"{on.year:04d}{on.month:02d}"]
    if key == "LAST_MONTH":
        return [f"{last_month.year:04d}{last_month.month:02d}"]
    if key in ("LAST_3_MONTHS", "LAST_6_MONTHS", "LAST_12_MONTHS"):
        n = int(key.split("_")[1])
        return _codes(PeriodType.MONTHLY, _month_start(on, n), this_month - timedelta(days=1))
    if key == "MONTHS_THIS_YEAR":
        return _codes(PeriodType.MONTHLY, date(on.year, 1, 1), date(on.year, 12, 31))
    if key == "THIS_QUARTER":
        return [f"{on.year:04d}Q{(on.month - 1) // 3 + 1}"]
    if key == "LAST_QUARTER":
        prev = quarter_start - timedelta(days=1)
        return [f"{prev.year:04d}Q{(prev.month - 1) // 3 + 1}"]
    if key == "LAST_4_QUARTERS":
        start = _month_start(quarter_start, 12)
        return _codes(PeriodType.QUARTERLY, start, quarter_start - timedelta(days=1))
    if key == "QUARTERS_THIS_YEAR":
        return _codes(PeriodType.QUARTERLY, date(on.year, 1, 1), date(on.year, 12, 31))
    if key == "THIS_YEAR":
        return [f"{on.year:04d}"]
    if key == "LAST_YEAR":
        return [f"{on.year - 1:04d}"]
    if key == "LAST_5_YEARS":
        return [f"{y:04d}" for y in range(on.year - 5, on.year)]
    return None


def resolve_periods(items: list[str], on: date | None = None) -> list[ParsedPeriod]:
    """Period codes and relative keywords → parsed periods, in the order given, without repeats."""
    found: list[ParsedPeriod] = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        codes = relative_period_codes(item, on) or [item]
        for code in codes:
            parsed = parse_period(code)
            if parsed.code not in {p.code for p in found}:
                found.append(parsed)
    if not found:
        raise InvalidInput(_("Cần chọn ít nhất một kỳ."), code="no_period")
    return found


def periods_between(start_code: str, end_code: str, period_type: str) -> list[ParsedPeriod]:
    """Every period of `period_type` from the one holding `start_code`'s start to `end_code`'s end."""
    start, end = parse_period(start_code), parse_period(end_code)
    if end.end_date < start.start_date:
        raise InvalidInput(_("Kỳ kết thúc đứng trước kỳ bắt đầu."), code="bad_range")
    first = start.start_date
    if period_type == PeriodType.QUARTERLY:
        first = date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    elif period_type == PeriodType.HALF_YEARLY:
        first = date(first.year, 1 if first.month <= 6 else 7, 1)
    elif period_type == PeriodType.YEARLY:
        first = date(first.year, 1, 1)
    last = end.end_date
    if period_type == PeriodType.YEARLY:
        last = date(last.year, 12, 31)
    elif period_type == PeriodType.QUARTERLY:
        month = 3 * ((last.month - 1) // 3) + 3
        last = date(last.year, month, calendar.monthrange(last.year, month)[1])
    elif period_type == PeriodType.HALF_YEARLY:
        last = date(last.year, 6, 30) if last.month <= 6 else date(last.year, 12, 31)
    codes = codes_in_range(period_type, first, last)
    if len(codes) > 240:
        raise InvalidInput(_("Khoảng kỳ quá dài (tối đa 240 kỳ)."), code="range_too_long")
    return [parse_period(c) for c in codes]


# --- units --------------------------------------------------------------------------------------


def _visible(actor: Any, org: Organisation, paths: list[str] | None) -> bool:
    return paths is None or any(org.path.startswith(p) for p in paths)


def _existing_during(qs, periods: list[ParsedPeriod], view: str):
    if view == TODAY:
        return qs.filter(valid_to__isnull=True)
    start = min(p.start_date for p in periods)
    end = max(p.end_date for p in periods)
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end)
    )


def resolve_units(*, actor: Any, items: list[str], periods: list[ParsedPeriod], view: str) -> list[Organisation]:
    """Unit codes and DHIS2 keywords (LEVEL-n, USER_ORGUNIT, USER_ORGUNIT_CHILDREN, CHILDREN-<code>).

    `LEVEL-n` selects units at depth n (1 = the Ministry, 2 = departments and agencies, 3 = their
    units) below the other units named, or below the caller's own units. Asking for a unit the
    caller may not view raises PermissionDenied naming it.
    """
    paths = permissions.view_paths(actor)
    if paths is not None and not paths:
        raise PermissionDenied(_("Bạn không có quyền xem số liệu báo cáo."))
    codes = [i.strip() for i in items if i.strip()]
    levels = [int(c.split("-", 1)[1]) for c in codes if c.upper().startswith("LEVEL-") and c[6:].isdigit()]
    children_of = [c.split("-", 1)[1] for c in codes if c.upper().startswith("CHILDREN-")]
    user_keys = {c.upper() for c in codes if c.upper().startswith("USER_ORGUNIT")}
    plain = [c for c in codes if not (c.upper().startswith(("LEVEL-", "CHILDREN-", "USER_ORGUNIT")))]
    bad_level = [c for c in codes if c.upper().startswith("LEVEL-") and not c[6:].isdigit()]
    if bad_level:
        raise InvalidInput(_("«%(item)s» không hợp lệ; dùng LEVEL-1, LEVEL-2...") % {"item": bad_level[0]},
                           code="bad_org_unit")

    # Units come with their area: the pivot's short names (a department's province) read it.
    units = Organisation.objects.select_related("area")
    named = {o.code: o for o in units.filter(code__in=plain + children_of)}
    missing = [c for c in plain + children_of if c not in named]
    if missing:
        raise InvalidInput(_("Không có đơn vị mã: %(codes)s.") % {"codes": ", ".join(missing)}, code="unknown_org_unit")
    for org in named.values():
        if not _visible(actor, org, paths):
            raise PermissionDenied(_("Bạn không được xem số liệu của %(unit)s.") % {"unit": org.name})

    roots: list[Organisation]
    if user_keys:
        if paths is None:
            roots = list(units.filter(parent__isnull=True))
        else:
            roots = list(units.filter(path__in=paths))
    else:
        roots = []
    result: list[Organisation] = []
    if levels:
        # Below the units named, or below the caller's own units. Every path the caller may view is
        # a unit's own path (a granted unit or a predecessor), so the paths serve without a query.
        if plain:
            base_paths = [named[c].path for c in plain]
        elif paths is not None:
            base_paths = list(paths)
        else:
            base_paths = [r.path for r in roots] or list(
                Organisation.objects.filter(parent__isnull=True).values_list("path", flat=True))
        condition = Q()
        for base_path in base_paths:
            condition |= Q(path__startswith=base_path)
        found = _existing_during(units.filter(condition, depth__in=levels), periods, view)
        result.extend(found.order_by("sort_name", "code"))
    else:
        result.extend(named[c] for c in plain)
    if "USER_ORGUNIT" in user_keys:
        result.extend(roots)
    if "USER_ORGUNIT_CHILDREN" in user_keys:
        result.extend(
            _existing_during(units.filter(parent__in=roots), periods, view).order_by("sort_name", "code")
        )
    for code in children_of:
        result.extend(_existing_during(units.filter(parent=named[code]), periods, view).order_by("sort_name", "code"))
    unique: dict[int, Organisation] = {}
    for org in result:
        if _visible(actor, org, paths):
            unique.setdefault(org.pk, org)
    if not unique:
        raise InvalidInput(_("Không có đơn vị nào phù hợp để tổng hợp."), code="no_org_unit")
    if len(unique) > 5000:
        raise InvalidInput(_("Quá nhiều đơn vị (tối đa 5.000)."), code="too_many_units")
    return list(unique.values())


def resolve_elements(codes: list[str]) -> list[DataElement]:
    codes = [c.strip() for c in codes if c.strip()]
    if not codes:
        raise InvalidInput(_("Cần chọn ít nhất một chỉ tiêu."), code="no_data_element")
    found = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(_("Không có chỉ tiêu mã: %(codes)s.") % {"codes": ", ".join(missing)},
                           code="unknown_data_element")
    return [found[c] for c in codes]


# --- values -------------------------------------------------------------------------------------


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _fetch(sql: str, params: list) -> list[tuple]:
    """Run a pivot query. PostgreSQL: server-side parameters (lists as one array), so the statement's
    text is the same whatever the number of elements and units, and is prepared once per connection:
    neither Django's client-side quoting of hundreds of ids nor planning on every call (~1 ms)."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)  # Django turns psycopg's automatic preparing off
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _any(column: str, items: list, params: list) -> str:
    """`column = ANY(%s)` with the list as one parameter (PostgreSQL), else `column IN (%s, ...)`."""
    if connection.vendor == "postgresql":
        params.append(items)
        return f"{column} = ANY(%s)"
    params.extend(items)
    return f"{column} IN ({', '.join(['%s'] * len(items))})"


def _aggregate_rows(view: str, element_ids: list[int], unit_ids: list[int], start: date, end: date) -> list[tuple]:
    """(de, coc, unit, period start, period end, total, count): the rows of both history views that
    apply (the caller adds them up, so the database only scans the covering index).

    Plain SQL: the pivot's hot path, where building an ORM query cost more than running it.
    """
    params: list = []
    where = f"{_any('data_element_id', element_ids, params)} AND {_any('organisation_id', unit_ids, params)}"
    sql = (
        f"SELECT data_element_id, category_option_combo_id, organisation_id, period_start, period_end, "  # noqa: S608
        f"total, count FROM {AggregateValue._meta.db_table} WHERE {where} "
        f"AND period_start >= %s AND period_end <= %s AND view IN (%s, %s)"
    )
    fetched = _fetch(sql, [*params, start, end, HistoryView.BOTH, HISTORY_VIEWS[view]])
    if fetched and not isinstance(fetched[0][3], date):  # SQLite hands dates back as text
        return [(a, b, c, _as_date(d), _as_date(e), t, n) for a, b, c, d, e, t, n in fetched]
    return fetched


def _year_rows(view: str, element_ids: list[int], unit_ids: list[int], years: list[int]) -> list[tuple]:
    """(de, coc, unit, year, total, count) from the calendar-year table, both history views' rows."""
    params: list = []
    # A range, not a list, of years: one index descent per element × unit (the caller skips years between).
    where = (f"{_any('data_element_id', element_ids, params)} AND {_any('organisation_id', unit_ids, params)} "
             f"AND year >= %s AND year <= %s")
    params.extend([min(years), max(years)])
    sql = (
        f"SELECT data_element_id, category_option_combo_id, organisation_id, year, total, count "  # noqa: S608
        f"FROM {AggregateYear._meta.db_table} WHERE {where} AND view IN (%s, %s)"
    )
    return _fetch(sql, [*params, HistoryView.BOTH, HISTORY_VIEWS[view]])


def _is_calendar_year(period: ParsedPeriod) -> bool:
    start, end = period.start_date, period.end_date
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year


def _column_map(by: str | None, coc_ids: set[int]) -> dict[int, list[str]]:
    """Option combo id → the column(s) it adds to: its own code, its options of category `by`, or total."""
    if not by:
        return {pk: [TOTAL] for pk in coc_ids}
    if by == "co":
        return {pk: [code] for pk, code in CategoryOptionCombo.objects.filter(pk__in=coc_ids).values_list("pk", "code")}
    through = CategoryOptionCombo.options.through
    columns: dict[int, list[str]] = defaultdict(list)
    for coc_id, opt_code in through.objects.filter(
        categoryoptioncombo_id__in=coc_ids, categoryoption__category__code=by
    ).values_list("categoryoptioncombo_id", "categoryoption__code"):
        columns[coc_id].append(opt_code)
    return columns


def analytics_values(
    *, actor: Any, elements: list[DataElement], periods: list[ParsedPeriod], units: list[Organisation],
    view: str = TODAY, by: str | None = None,
) -> list[Cell]:
    """The values of every element × period × unit (× column of `by`), scoped to the caller.

    `by`: None (totals), "co" (per option combo), or a category code (per option of it).
    """
    if view not in HISTORY_VIEWS:
        raise InvalidInput(_("Cách xem lịch sử phải là as_reported hoặc today."), code="bad_history")
    paths = permissions.view_paths(actor)
    if paths is not None and not paths:
        raise PermissionDenied(_("Bạn không có quyền xem số liệu báo cáo."))
    for org in units:
        if not _visible(actor, org, paths):
            raise PermissionDenied(_("Bạn không được xem số liệu của %(unit)s.") % {"unit": org.name})
    if not (elements and periods and units):
        return []
    aggregation_of = {e.pk: e.aggregation for e in elements}
    none, last = DataElement.Aggregation.NONE, DataElement.Aggregation.LAST
    # A calendar year of a sum or an average is one row of AggregateYear per unit × combo (what the
    # stored periods inside the year add up to); everything else is rolled up from AggregateValue.
    year_periods = {p.start_date.year: p for p in periods if _is_calendar_year(p)}
    by_year = [pk for pk, aggregation in aggregation_of.items() if aggregation not in (none, last)] \
        if year_periods else []
    from_years = set(by_year)
    monthly = [p for p in periods if year_periods.get(p.start_date.year) is not p]
    others = [pk for pk in aggregation_of if pk not in from_years]  # rolled up from AggregateValue
    month_elements = list(aggregation_of) if monthly else others
    spans = monthly + (list(year_periods.values()) if others else [])
    rows: list[tuple] = []
    if month_elements and spans:
        start = min(p.start_date for p in spans)
        end = max(p.end_date for p in spans)
        rows = _aggregate_rows(view, month_elements, [u.pk for u in units], start, end)
    year_rows = _year_rows(view, by_year, [u.pk for u in units], sorted(year_periods)) if by_year else []
    columns = _column_map(by, {r[1] for r in rows} | {r[1] for r in year_rows})
    unit_code = {u.pk: u.code for u in units}
    containing: dict[tuple[date, date], list[ParsedPeriod]] = {}  # stored period -> requested ones holding it
    # (de, unit, period code, column) -> [total, count, {period end: total} (for "last" only)]
    acc: dict[tuple[int, int, str, str], list] = {}
    for de_id, coc_id, org_id, p_start, p_end, total, count in rows:
        holders = containing.get((p_start, p_end))
        if holders is None:
            holders = [p for p in periods if p.start_date <= p_start and p_end <= p.end_date]
            containing[(p_start, p_end)] = holders
        aggregation = aggregation_of[de_id]
        total = total or 0.0
        for period in holders:
            if aggregation == none and (p_start != period.start_date or p_end != period.end_date):
                continue
            if de_id in from_years and year_periods.get(period.start_date.year) is period:
                continue  # counted from AggregateYear
            for column in columns.get(coc_id, ()):
                key = (de_id, org_id, period.code, column)
                cell = acc.get(key)
                if cell is None:
                    cell = acc[key] = [0.0, 0, {} if aggregation == last else None]
                cell[0] += total
                cell[1] += count or 0
                if cell[2] is not None:
                    cell[2][p_end] = cell[2].get(p_end, 0.0) + total
    for de_id, coc_id, org_id, year, total, count in year_rows:
        if year not in year_periods:
            continue
        period_code = year_periods[year].code
        for column in columns.get(coc_id, ()):
            key = (de_id, org_id, period_code, column)
            cell = acc.get(key)
            if cell is None:
                cell = acc[key] = [0.0, 0, None]
            cell[0] += total or 0.0
            cell[1] += count or 0
    cells: list[Cell] = []
    average = DataElement.Aggregation.AVERAGE
    codes = {e.pk: e.code for e in elements}
    for (de_id, org_id, pcode, column), (total, count, by_end) in acc.items():
        if count <= 0:
            continue
        aggregation = aggregation_of[de_id]
        if aggregation == average:
            value = total / count
        elif aggregation == last:
            value = by_end[max(by_end)]
        else:
            value = total
        cells.append(Cell(codes[de_id], pcode, unit_code[org_id], column, round(value, 6)))
    order_de = {e.code: i for i, e in enumerate(elements)}
    order_pe = {p.code: i for i, p in enumerate(periods)}
    order_ou = {u.code: i for i, u in enumerate(units)}
    cells.sort(key=lambda c: (order_de[c.dx], order_ou[c.ou], order_pe[c.pe], c.co))
    return cells


def metadata_items(elements: list[DataElement], periods: list[ParsedPeriod], units: list[Organisation],
                   columns: set[str], language: str | None = None) -> dict[str, dict[str, str]]:
    items: dict[str, dict[str, str]] = {}
    for e in elements:
        items[e.code] = {"name": e.label(language), "aggregation": e.aggregation}
    for p in periods:
        items[p.code] = {"name": period_label(p)}
    for u in units:
        items[u.code] = {"name": u.display_name(language)}
    columns = {c for c in columns if c}
    if columns:
        from vhttdl.reporting.models import CategoryOption

        for coc in CategoryOptionCombo.objects.filter(code__in=columns):
            items[coc.code] = {"name": coc.label(language)}
        for opt in CategoryOption.objects.filter(code__in=columns - set(items)):
            items[opt.code] = {"name": opt.label(language)}
    return items


def disaggregation_choices(language: str | None = None) -> list[tuple[str, str]]:
    """("", total), ("co", per option combo), and one entry per category, named in `language`."""
    from vhttdl.core.text import sort_vi
    from vhttdl.reporting.models import Category

    categories = sort_vi(Category.objects.all(), key=lambda c: c.label(language))
    return [("", _("Tổng (không phân tổ)")), ("co", _("Theo tổ hợp phân tổ"))] + [
        (c.code, _("Theo %(category)s") % {"category": c.label(language)}) for c in categories
    ]


def parent_choices(*, actor: Any) -> list[Organisation]:
    """Current units with units below them that the actor may view, in tree order (the unit picker)."""
    from vhttdl.core.units.selectors import tree_order

    paths = permissions.view_paths(actor)
    if paths is not None and not paths:
        return []
    qs = Organisation.objects.current().filter(pk__in=Organisation.objects.filter(
        parent__isnull=False, valid_to__isnull=True).values("parent_id"))
    condition = permissions.view_condition(actor, via="")
    if condition is not None:
        qs = qs.filter(condition)
    return tree_order(qs.select_related("area"))


@functools.lru_cache(maxsize=64)
def _month_groups(this_year: int, years: int, language: str | None) -> tuple[tuple[str, tuple], ...]:
    """(year, ((code, label), ...)) of every month of `years` years back from `this_year`, newest first:
    the same for every pivot page of a year and language, so made once per process."""
    return tuple(
        (str(year), tuple((code, period_label(parse_period(code)))
                          for code in (f"{year:04d}{month:02d}" for month in range(1, 13))))
        for year in range(this_year, this_year - years, -1)
    )


def period_choices(*, years: int = 6, on: date | None = None, keep: tuple[str, ...] = ()) -> list[tuple[str, list]]:
    """Months of the last `years` years, newest year first, as (year, [(code, label)]) for a picker.

    Codes in `keep` that are not months (2025Q1 from a link) are offered too, so a chosen range stays.
    """
    on = on or today_local()
    groups: list[tuple[str, list]] = []
    listed: set[str] = set()
    for year, options in _month_groups(on.year, years, get_language()):
        listed.update(code for code, _label in options)
        groups.append((year, list(options)))
    extra = []
    for code in keep:
        try:
            parsed = parse_period(code)
        except InvalidInput:
            continue
        if parsed.code not in listed:
            extra.append((parsed.code, period_label(parsed)))
            listed.add(parsed.code)
    if extra:
        groups.insert(0, (_("Kỳ đã chọn"), extra))
    return groups
