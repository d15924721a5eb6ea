"""Every main page of every app, in chromium, as a visitor and as an officer: no Content-Security-Policy
violation in the console, and no serious or critical WCAG 2.1 AA violation found by axe-core.

axe-core comes from npm, pinned in tests/browser_assets/package-lock.json; `npm ci` installs it there
(scripts/dev test and .ci/run do, and so does this module when npm is on the PATH). Without npm the
module is skipped, saying so. One browser, one live server; one page visit per page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser import log_in
from tests.core.factories import AreaFactory, make_org, person
from tests.heritage.factories import FestivalFactory
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.heritage.models import CalendarKind, SiteRank, SiteType
from vhttdl.heritage.portal import pointindex
from vhttdl.heritage.services import site_create, site_translation_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSETS = Path(__file__).resolve().parents[2] / "browser_assets"
AXE = ASSETS / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm not found: cannot install axe-core (npm ci in tests/browser_assets); "
                        "install Node.js and npm to run the accessibility test")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=ASSETS, check=True,
                       timeout=300, capture_output=True)
    return AXE.read_text("utf-8")


@pytest.fixture
def content(tree):
    """A little of everything: published sites (one in English), festivals, a submitted report."""
    pointindex.clear()
    area = tree.area_a
    area.latitude, area.longitude = 21.03, 105.85
    area.save(update_fields=["latitude", "longitude"])
    site = site_create(actor=SYSTEM, publish=True, data={
        "code": "DT-VANMIEU", "name": "Văn Miếu – Quốc Tử Giám", "rank": SiteRank.SPECIAL_NATIONAL,
        "site_type": SiteType.ARCHITECTURAL_ARTISTIC, "province": area, "organisation": tree.dept_a,
        "latitude": 21.0294, "longitude": 105.8355, "description": "Nơi thờ Khổng Tử, trường đại học đầu tiên.",
        "unesco_status": "world_heritage"})
    site_translation_set(actor=SYSTEM, site=site, language="en", name="Temple of Literature",
                         description="Founded in 1070 to honour Confucius.", version=site.version)
    site_create(actor=SYSTEM, publish=True, data={
        "code": "DT-MOTCOT", "name": "Chùa Một Cột", "rank": SiteRank.NATIONAL, "site_type": SiteType.HISTORICAL,
        "province": area, "organisation": tree.dept_a, "latitude": 21.0359, "longitude": 105.8336})
    FestivalFactory(organisation=tree.dept_a, province=area, site=site, name="Lễ hội Văn Miếu")
    FestivalFactory(organisation=tree.dept_a, province=area, name="Quốc khánh", calendar=CalendarKind.SOLAR,
                    month=9, day=2)
    made = make_form()
    submission = filled_submission(made.form, tree.museum_a, "202501")
    AreaFactory(code="99", name="Tỉnh Khác")
    make_org("SO-99")
    yield {"site": site, "form": made.form, "submission": submission}
    pointindex.clear()


def _visit(page, messages: list[str], url: str, axe_source: str, *, run_axe: bool = True) -> list[str]:
    """Problems on one page: CSP violations and page errors seen while it loads, then axe's findings."""
    messages.clear()
    response = page.goto(page.base_url + url)
    page.wait_for_load_state("networkidle")
    problems = [f"{url}: HTTP {response.status}"] if response.status >= 400 and "khong-co" not in url else []
    problems += [f"{url}: {text}" for text in messages]
    if run_axe:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)  # through DevTools, which the page's CSP does not govern
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_AA)
        for violation in results["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                problems.append(f"{url}: axe {violation['id']} ({violation['impact']}): {violation['help']} "
                                f"at {json.dumps(targets, ensure_ascii=False)}")
    return problems


def _watch(page) -> list[str]:
    """Console messages that mean the policy blocked something, and uncaught script errors."""
    messages: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            messages.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    return messages


def _check(page, messages: list[str], urls: list[str], axe_source: str, skip_axe: tuple[str, ...] = ()) -> list[str]:
    problems: list[str] = []
    for url in urls:
        problems += _visit(page, messages, url, axe_source, run_axe=not url.startswith(skip_axe or ("\0",)))
    return problems


def _wider_than(page, width: int, urls: list[str]) -> list[str]:
    """Pages whose document scrolls sideways at this viewport width (each page at its own scroll width)."""
    wide = []
    for url in urls:
        page.goto(page.base_url + url)
        page.wait_for_load_state("load")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide.append(f"{url}: {scroll_width} px wide at a {width} px viewport")
    return wide


def test_a_visitor_meets_no_csp_violation_and_no_serious_accessibility_problem(page, content, axe_source):
    site = content["site"]
    urls = ["/", reverse("heritage:portal-map"), reverse("heritage:portal-site", args=[site.code]),
            reverse("heritage:portal-festivals"), reverse("search:page") + "?q=van+mieu",
            reverse("accounts:login"), "/khong-co-trang-nay/"]
    messages = _watch(page)
    problems = _check(page, messages, urls, axe_source)
    # The API documentation must work under the policy too (Swagger UI is a third party's interface:
    # its own accessibility is not ours to fix, its loading is).
    problems += _check(page, messages, ["/api/v1/docs"], axe_source, skip_axe=("/api/v1/docs",))
    assert page.locator(".swagger-ui .info .title").first.is_visible()
    # The same public pages in English.
    page.goto(page.base_url + "/")
    page.get_by_role("button", name="EN", exact=True).click()
    problems += _check(page, messages, ["/", reverse("heritage:portal-site", args=[site.code])], axe_source)
    assert problems == []


def test_an_officer_meets_no_csp_violation_and_no_serious_accessibility_problem(page, tree, content, axe_source):
    officer = person(Role.MINISTRY_OFFICER, tree.ministry, username="chuyenvienbo")
    log_in(page, officer.username, "mat-khau-thu-nghiem")
    page.get_by_role("heading", name="Xin chào").wait_for()
    form, submission, site = content["form"], content["submission"], content["site"]
    urls = [
        "/",
        reverse("heritage:manage_home"), reverse("heritage:manage_sites"),
        reverse("heritage:manage_detail", args=["sites", site.pk]), reverse("heritage:manage_import"),
        reverse("reporting:index"), reverse("reporting:submissions"),
        reverse("reporting:submission", args=[submission.pk]),
        reverse("reporting:completeness") + f"?form={form.code}&from=202501&to=202503",
        "/reporting/analytics/?de=VISITS&start=202501&end=202503",
        reverse("reporting:design"), reverse("reporting:design_form", args=[form.pk]),
        reverse("units:tree"), reverse("accounts:people"), reverse("accounts:profile"),
        reverse("heritage:portal-map"),
    ]
    messages = _watch(page)
    problems = _check(page, messages, urls, axe_source)
    # Wide tables on a phone: they scroll inside a region the keyboard can reach.
    page.set_viewport_size({"width": 390, "height": 844})
    problems += _check(page, messages, [urls[8], urls[9], urls[7], "/", reverse("heritage:portal-festivals")],
                       axe_source)
    # No page is wider than the phone: wide content scrolls inside its own box, not the whole page.
    problems += _wider_than(page, 390, urls)
    page.set_viewport_size({"width": 1280, "height": 860})
    page.get_by_role("button", name="Đăng xuất").click()
    leader = person(Role.MINISTRY_LEADER, tree.ministry, username="lanhdaobo")
    log_in(page, leader.username, "mat-khau-thu-nghiem")
    page.get_by_role("heading", name="Xin chào").wait_for()
    problems += _check(page, messages, [reverse("audit:list")], axe_source)
    assert problems == []
