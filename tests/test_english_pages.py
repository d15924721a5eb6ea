"""Every page, in English, as each role: no Vietnamese interface text (issue 8, item 5).

How it reads a page: the HTML's text and the attributes people read (title, aria-label, alt,
placeholder, a button's value) are searched for Vietnamese, recognised by its letters with
diacritics (ă â đ ê ô ơ ư and the tone marks). Data that has no English value is allowed, when the
page marks it as such:

* `lang="vi"` (or any `lang` other than English) on text in Vietnamese: a relic's description
  with no English translation, the language switch's own name;
* `translate="no"` on names and data that are never translated: people's names, what a person
  typed (a comment, a reason), stored values in the change log.

* stored values of fields that have no English counterpart, known to the test from the database
  (`data_texts`): people's names, province and commune names, heritage records' own fields (their
  English lives in translations), legal document numbers ("09/2019/NĐ-CP"), and English values
  (which may hold Vietnamese proper names: "Department of Culture... of Bình Định"). The Django
  admin, a master-data editor, also shows stored Vietnamese names as they are.

Everything else must be translated. The data built here has an English value in every field
that has one (unit, form, indicator, category names, layout headings, rule messages...), so a
Vietnamese word that shows is an untranslated label, or a name shown in Vietnamese where an
English one exists.

Pages: every URL pattern of the site. Patterns with arguments take them from `ARGUMENTS` (by URL
name); a new page with arguments must be added there, the test says so. Pages answering other than
200 with HTML (redirects, 403, 404, files) are not read, but a 500 fails.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from tests.core.factories import AreaFactory, current_version, grant, make_org
from vhttdl.core.accounts.models import User
from vhttdl.core.accounts.roles import Role

pytestmark = pytest.mark.django_db

VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯàáãèéìíòóõùúýĩũÀÁÃÈÉÌÍÒÓÕÙÚÝĨŨ\u1ea0-\u1ef9]"
)
READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "aria-description")
SKIPPED_TAGS = {"script", "style", "textarea", "template", "svg"}  # code, typed data; charts have a table

# URL names never read: not pages (actions, files, the API, translations for scripts).
NOT_PAGES = {
    "accounts:logout", "set_language", "javascript-catalog", "healthz", "admin:logout", "admin:jsi18n",
    "admin:autocomplete", "admin:view_on_site", "accounts:password_reset_confirm", "admin:",
}


class Reader(HTMLParser):
    """Collects the Vietnamese text of a page outside the parts marked as data."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # one "skipped" flag per open element
        self.found: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").lower()
        skip = (
            self._skipped()
            or tag in SKIPPED_TAGS
            or (lang != "" and not lang.startswith("en"))
            or attributes.get("translate") == "no"
        )
        if not skip:
            for name in READ_ATTRIBUTES:
                self._check(attributes.get(name))
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self._check(attributes.get("value"))
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._skipped():
            self._check(data)

    def _check(self, text: str | None) -> None:
        if text and VIETNAMESE.search(text):
            self.found.append(" ".join(text.split())[:120])


def vietnamese_in(html: str, allowed: list[str] = ()) -> list[str]:
    """Vietnamese texts of a page, once the allowed data strings (longest first) are taken out."""
    body = html.split("<body", 1)[-1]
    reader = Reader()
    reader.feed(body)
    found = []
    for text in reader.found:
        rest = text
        for data in allowed:
            if data in rest:
                rest = rest.replace(data, " ")
        rest = LEGAL_NUMBER.sub(" ", rest)
        if VIETNAMESE.search(rest):
            found.append(text)
    return found


LEGAL_NUMBER = re.compile(r"\b\d+/\d{4}/[A-ZĐ]{2,4}(-[A-ZĐ]+)*\b")


def data_texts(*, admin: bool) -> list[str]:
    """Stored values the pages may show as they are (see the module docstring), longest first."""
    from vhttdl.core.audit.models import AuditEntry
    from vhttdl.core.units.models import Area, Organisation
    from vhttdl.heritage.models import Festival, IntangibleHeritage, Site, SiteTranslation

    texts: set[str] = set()
    texts.update(User.objects.values_list("full_name", flat=True))
    for name, short, kind in Area.objects.values_list("name", "short_name", "division_type"):
        texts.update((name, short, kind))
    texts.update(Organisation.objects.values_list("name_en", flat=True))
    for model, fields in ((Site, ("name", "description", "address", "other_names")),
                          (IntangibleHeritage, ("name", "description", "communities")),
                          (Festival, ("name", "description")), (SiteTranslation, ("name", "description"))):
        for row in model.objects.values_list(*fields):
            texts.update(row)
    if admin:
        texts.update(Organisation.objects.values_list("name", flat=True))
        texts.update(AuditEntry.objects.values_list("object_repr", flat=True))
    return sorted((t for t in texts if t and VIETNAMESE.search(t)), key=len, reverse=True)


def test_the_reader_skips_marked_data():
    html = ('<body><p>Report</p><p lang="vi">Đình làng</p><span translate="no">Nguyễn Văn A</span>'
            '<button title="Lưu">Save</button><p>Chờ duyệt</p><script>var a = "Đã";</script></body>')
    assert vietnamese_in(html) == ["Lưu", "Chờ duyệt"]
    assert vietnamese_in("<body><p>By Nguyễn An (Decree 09/2019/NĐ-CP)</p></body>", ["Nguyễn An"]) == []


# --- the data ------------------------------------------------------------------------------------


@pytest.fixture
def site_data(tmp_path, settings):
    """A small sector with English names everywhere they exist, a report in every state, heritage records."""
    from tests.heritage.factories import FestivalFactory, IntangibleFactory, SiteFactory, SiteTranslationFactory
    from tests.reporting.factories import filled_submission, make_form
    from vhttdl.core.accounts.policy import SYSTEM
    from vhttdl.core.units.services import organisation_update
    from vhttdl.heritage.portal import pointindex
    from vhttdl.reporting.models import (
        Category,
        CategoryCombo,
        CategoryOption,
        CategoryOptionCombo,
        DataElement,
        ValidationRule,
    )
    from vhttdl.reporting.services import submission_approve, submission_submit
    from vhttdl.reporting.services.entry import CellInput

    settings.MEDIA_ROOT = str(tmp_path / "media")
    pointindex.clear()
    area_a = AreaFactory(code="81", name="Tỉnh An Giang", short_name="An Giang")
    area_b = AreaFactory(code="82", name="Tỉnh Bình Định", short_name="Bình Định")
    ministry = make_org("BO", kind="ministry", name="Bộ Văn hóa", name_en="Ministry of Culture")
    make_org("CUC", parent=ministry, kind="agency", name="Cục Di sản", name_en="Heritage Department")
    dept_a = make_org("SO-A", parent=ministry, area=area_a, name="Sở An Giang", name_en="An Giang Department")
    museum_a = make_org("SO-A-BT", parent=dept_a, kind="museum", area=area_a, name="Bảo tàng An Giang",
                        name_en="An Giang Museum")
    dept_b = make_org("SO-B", parent=ministry, area=area_b, name="Sở Bình Định", name_en="Bình Định Department")
    organisation_update(actor=SYSTEM, organisation=museum_a, name_en="An Giang Provincial Museum",
                        version=current_version(museum_a))

    form = make_form()
    report_form = form.form
    report_form.title_en = "Test form"
    report_form.save()
    for element, english in (("VISITS", "Visits"), ("HELD", "Artefacts held"), ("DIGITISED", "Artefacts digitised"),
                             ("REVENUE", "Revenue"), ("RATE", "Rate")):
        DataElement.objects.filter(code=element).update(name_en=english, unit_of_measure_en="items")
    Category.objects.filter(code="ORIGIN").update(name_en="Origin")
    CategoryCombo.objects.update(name_en="Origin")
    CategoryOption.objects.filter(code="INTL").update(name_en="International")
    CategoryOption.objects.filter(code="DOM").update(name_en="Domestic")
    ValidationRule.objects.update(message_en="Check this figure")
    version = form.version
    version.layout = {"sections": [{**section, "title_en": f"Section {i + 1}"}
                                   for i, section in enumerate(version.layout["sections"])]}
    version.save(update_fields=["layout"])
    draft = filled_submission(report_form, museum_a, period_code="202501")
    matrix = _two_category_form()
    filled_submission(matrix, museum_a, period_code="202501",
                      cells=[CellInput("ARRIVALS", c.code, "1200") for c in CategoryOptionCombo.objects.filter(
                          combo__code="ORIGIN_SEX")])
    submitted = filled_submission(report_form, museum_a, period_code="202502")
    submission_submit(actor=SYSTEM, submission=submitted, version=current_version(submitted))
    approved = filled_submission(report_form, dept_a, period_code="202502")
    submission_approve(actor=SYSTEM, submission=submitted, version=current_version(submitted))
    submission_submit(actor=SYSTEM, submission=approved, version=current_version(approved))
    submission_approve(actor=SYSTEM, submission=approved, version=current_version(approved))

    site = SiteFactory(organisation=dept_a, province=area_a, name="Đình làng An", code="DT-00001")
    SiteTranslationFactory(site=site, name="An village communal house")
    intangible = IntangibleFactory(organisation=dept_a, code="PVT-00001")
    festival = FestivalFactory(organisation=dept_a, province=area_a, code="LH-00001", site=site)

    people = {}
    for username, role, unit in (
        ("quantri", Role.SYSTEM_ADMIN, ministry), ("lanhdaobo", Role.MINISTRY_LEADER, ministry),
        ("chuyenvienbo", Role.MINISTRY_OFFICER, ministry), ("lanhdaoso", Role.DEPARTMENT_LEADER, dept_a),
        ("chuyenvienso", Role.DEPARTMENT_OFFICER, dept_a), ("canbo", Role.UNIT_STAFF, museum_a),
        ("nguoidan", Role.APPLICANT, ministry),
    ):
        user = User.objects.create_user(username=username, password="x", full_name=f"Nguyễn {username}",
                                        email=f"{username}@example.vn")
        if role == Role.SYSTEM_ADMIN:
            user.is_staff = user.is_superuser = True
            user.save()
        grant(user, role, unit)
        people[username] = user
    from vhttdl.reporting.models import DataElement as Element

    return {
        "people": people, "draft": draft, "submitted": submitted, "approved": approved, "form": report_form,
        "version": form.version, "site": site, "intangible": intangible, "festival": festival,
        "element": Element.objects.get(code="VISITS"), "category": Category.objects.get(code="ORIGIN"),
        "combo": CategoryCombo.objects.get(code="ORIGIN"), "rule": ValidationRule.objects.first(),
        "units": {"ministry": ministry, "dept_a": dept_a, "museum_a": museum_a, "dept_b": dept_b},
    }


def _two_category_form():
    """A form whose element is disaggregated by two categories (the grid's cross-table with its totals)."""
    from vhttdl.core.accounts.policy import SYSTEM
    from vhttdl.reporting.models import Category
    from vhttdl.reporting.services import metadata

    sex = metadata.category_save(actor=SYSTEM, code="SEX", name="Giới tính", name_en="Sex",
                                 options=[("M", "Nam", "Male"), ("F", "Nữ", "Female")])
    combo = metadata.combo_save(actor=SYSTEM, code="ORIGIN_SEX", name="Nguồn khách và giới tính",
                                name_en="Origin and sex", categories=[Category.objects.get(code="ORIGIN"), sex])
    metadata.data_element_save(actor=SYSTEM, code="ARRIVALS", name="Lượt khách du lịch", name_en="Tourist arrivals",
                               category_combo=combo)
    form = metadata.form_save(actor=SYSTEM, code="T.02", title="Biểu hai phân tổ", title_en="Two-way form",
                              period_type="monthly", submitter_kinds=["museum"], deadline_day=20)
    version = metadata.form_layout_save(actor=SYSTEM, form=form, layout={
        "sections": [{"title": "I. Khách", "title_en": "I. Visitors", "rows": [{"element": "ARRIVALS"}]}]})
    metadata.form_version_publish(actor=SYSTEM, version=version)
    return form


def arguments(data) -> dict[str, list[dict]]:
    """Sample arguments per URL name (several when a page has several kinds)."""
    from vhttdl.core.accounts.models import ApiToken, Grant
    from vhttdl.core.audit.models import AuditEntry
    from vhttdl.core.outbox.models import Message
    from vhttdl.core.units.models import Area
    from vhttdl.reporting.models import Submission

    sub = data["draft"].pk
    kinds = ["sites", "intangible", "festivals"]
    records = {"sites": data["site"].pk, "intangible": data["intangible"].pk, "festivals": data["festival"].pk}
    admin_objects = {
        "auth_group": None, "axes_accessattempt": None, "axes_accesslog": None, "axes_accessfailurelog": None,
        "units_area": Area.objects.first().pk, "units_organisation": data["units"]["museum_a"].pk,
        "accounts_user": data["people"]["canbo"].pk, "accounts_apitoken": getattr(ApiToken.objects.first(), "pk", None),
        "audit_auditentry": AuditEntry.objects.first().pk,
        "calendar_daydecision": None, "calendar_annualholiday": None,
    }
    found: dict[str, list[dict]] = {
        "units:detail": [{"code": "SO-A-BT"}, {"code": "SO-A"}],
        "accounts:token_revoke": [], "accounts:grant_revoke": [{"grant_id": Grant.objects.first().pk}],
        "heritage:manage_import_report": [], "heritage:manage_import_commit": [],
        "heritage:manage_sites_export": [], "heritage:manage_media_delete": [],
        "heritage:manage_site_translation": [{"pk": data["site"].pk}],
        "heritage:manage_site_decision": [{"pk": data["site"].pk}],
        "heritage:manage_site_decision_remove": [],
        "heritage:manage_intangible_inscription": [{"pk": data["intangible"].pk}],
        "heritage:manage_list": [{"kind": k} for k in kinds],
        "heritage:manage_create": [{"kind": k} for k in kinds],
        "heritage:portal-site": [{"code": data["site"].code}],
        "heritage:portal-qr-svg": [], "heritage:portal-qr-pdf": [],
        "reporting:submission": [{"pk": s.pk} for s in Submission.objects.all()],
        "reporting:save": [], "reporting:excel_template": [],
        "reporting:submit": [{"pk": sub}], "reporting:approve": [{"pk": data["submitted"].pk}],
        "reporting:accept": [{"pk": data["approved"].pk}], "reporting:return": [{"pk": data["submitted"].pk}],
        "reporting:excel_upload": [{"pk": sub}],
        "reporting:completeness_export": [],
        "reporting:design_element": [{"pk": data["element"].pk}],
        "reporting:design_category": [{"pk": data["category"].pk}],
        "reporting:design_combo": [{"pk": data["combo"].pk}],
        "reporting:design_form": [{"pk": data["form"].pk}],
        "reporting:design_form_edit": [{"pk": data["form"].pk}],
        "reporting:design_publish": [], "reporting:design_rule_add": [], "reporting:design_rule_delete": [],
        "audit:export": [],
        "outbox:detail": [{"pk": m.pk} for m in Message.objects.all()[:1]], "outbox:retry": [],
        "media": [],  # stored files, not pages
        "admin:auth_user_password_change": [{"id": data["people"]["canbo"].pk}],
        "admin:app_list": [{"app_label": a} for a in ("units", "accounts", "audit")],
    }
    for kind in kinds:
        for name in ("manage_detail", "manage_edit", "manage_revisions", "manage_media_add"):
            found.setdefault(f"heritage:{name}", []).append({"kind": kind, "pk": records[kind]})
        for name in ("manage_publish", "manage_unpublish", "manage_delete"):
            found[f"heritage:{name}"] = []  # actions (POST), not pages
    for model, pk in admin_objects.items():
        for suffix in ("change", "history", "delete"):
            found[f"admin:{model}_{suffix}"] = [{"object_id": pk}] if pk else []
    return found


def pages(data) -> list[str]:
    from django.urls import reverse

    samples = arguments(data)
    urls: list[str] = []
    missing: list[str] = []

    def walk(resolver: URLResolver, namespace: str = "") -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if str(entry.pattern).startswith("api/"):
                    continue
                walk(entry, namespace + (f"{entry.namespace}:" if entry.namespace else ""))
                continue
            assert isinstance(entry, URLPattern)
            name = namespace + (entry.name or "")
            if name in NOT_PAGES or not entry.name:
                continue
            if not entry.pattern.regex.groupindex and "(?P" not in entry.pattern.regex.pattern:
                if entry.pattern.converters or entry.pattern.regex.groups:
                    missing.append(name)
                    continue
                urls.append(reverse(name))
                continue
            if name not in samples:
                missing.append(name)
                continue
            urls.extend(reverse(name, kwargs=kwargs) for kwargs in samples[name])

    walk(get_resolver())
    assert not missing, f"add sample arguments (or NOT_PAGES) for these pages in tests/test_english_pages.py: {missing}"
    return sorted(set(urls))


def test_every_page_in_english_as_each_role(client, site_data):
    findings: dict[str, set[str]] = {}
    read = 0
    allowed, allowed_in_admin = data_texts(admin=False), data_texts(admin=True)
    for username, user in site_data["people"].items():
        client.force_login(user)
        client.cookies["django_language"] = "en"
        for url in pages(site_data):
            response = client.get(url)
            assert response.status_code != 500, f"{url} as {username}: server error"
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            read += 1
            data = allowed_in_admin if url.startswith("/admin/") else allowed
            for text in vietnamese_in(response.content.decode(), data):
                findings.setdefault(text, set()).add(f"{url} ({username})")
    assert read > 100, f"only {read} pages read"
    report = "\n".join(f"{text!r} on {sorted(where)[0]} and {len(where) - 1} more" for text, where in
                       sorted(findings.items()))
    assert not findings, f"Vietnamese interface text on English pages ({len(findings)}):\n{report}"
