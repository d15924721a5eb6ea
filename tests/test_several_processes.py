"""Several web processes, one truth (issue 8, item 3).

Two `vhttdl serve` processes (A and B) on the test's PostgreSQL database and Redis, with a Celery
worker: a person signs in and edits through A, and B shows the result at once: the session, the
public-page cache, the map's point index, the search index and analytics aggregates. Needs
PostgreSQL and Redis (`.ci/run` starts both); skipped on SQLite, saying why.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
VHTTDL = str(Path(sys.executable).with_name("vhttdl"))
CELERY = str(Path(sys.executable).with_name("celery"))
PASSWORD = "mat-khau-hai-tien-trinh"


def _redis_up() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="module")
def postgres_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("several web processes need PostgreSQL (set DATABASE_URL); SQLite is one process's database")
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}; CI must start it (.ci/run does)")
        pytest.skip(f"several web processes need Redis at {REDIS_URL} (.ci/run starts it)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, *, seconds: float = 30.0, what: str = ""):
    """Poll `check` until it returns a true value (a worker runs at its own pace); fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        time.sleep(0.2)


@dataclass
class Browser:
    """Enough of a browser for two servers: cookies by name, CSRF header on writes, no redirects followed."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, url: str, *, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method="POST" if data is not None else "GET")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if data is not None and "csrftoken" in self.cookies:
            request.add_header("X-CSRFToken", self.cookies["csrftoken"])
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace"), response.headers

    def post_json(self, url: str, payload: dict) -> tuple[int, str]:
        request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        request.add_header("X-CSRFToken", self.cookies.get("csrftoken", ""))
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def sign_in(self, base: str, username: str) -> None:
        status, page, _ = self.request(base + "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _, _ = self.request(base + "/accounts/login/", data={
            "csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        assert status == 302 and "sessionid" in self.cookies, f"sign-in on {base} failed ({status})"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def servers(postgres_and_redis, django_db_setup, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """Servers A and B and one Celery worker, on the test database and a shared Redis (one set per module)."""
    from django.conf import settings

    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    database_url = f"postgres://{db['USER'] or 'postgres'}@{host}:{port}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "VHTTDL_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "WEB_THREADS": "2",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "0",
    }
    env.pop("VHTTDL_ENV", None)
    processes: list[subprocess.Popen] = []
    bases = []
    try:
        for _ in range(2):
            port = _free_port()
            processes.append(subprocess.Popen(
                [VHTTDL, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            bases.append(f"http://127.0.0.1:{port}")
        if shutil.which(CELERY) or os.path.exists(CELERY):
            processes.append(subprocess.Popen(
                [CELERY, "-A", "vhttdl.config.celery", "worker", "--pool", "solo", "--concurrency", "1",
                 "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        for base, process in zip(bases, processes, strict=False):
            wait_until(lambda base=base, process=process: _healthy(base, process), seconds=90,
                       what=f"{base}/healthz")
        yield bases[0], bases[1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _healthy(base: str, process: subprocess.Popen) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"server {base} stopped: {process.stderr.read().decode()[-3000:]}")
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture
def world(tree, settings):
    """A published site owned by department A, an officer of A who may publish, a report to approve."""
    from tests.core.factories import person
    from tests.reporting.factories import filled_submission, make_form
    from vhttdl.core.accounts.policy import SYSTEM
    from vhttdl.core.accounts.roles import Role
    from vhttdl.heritage.models import SiteRank, SiteType
    from vhttdl.heritage.services import site_create
    from vhttdl.reporting.services import submission_submit

    # The servers check passwords with their own hashers (not the suite's fast MD5).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    leader = person(Role.DEPARTMENT_LEADER, tree.dept_a, username="lanhdao-a")
    leader.set_password(PASSWORD)
    leader.save()
    site = site_create(actor=SYSTEM, publish=True, data={
        "code": "DT-HAI", "name": "Đình Hai Tiến Trình", "rank": SiteRank.NATIONAL, "site_type": SiteType.HISTORICAL,
        "province": tree.area_a, "latitude": 21.03, "longitude": 105.85, "organisation": tree.dept_a,
        "description": "Ngôi đình thử nghiệm."})
    form = make_form("T.HAI").form
    submission = filled_submission(form, tree.museum_a, "202501")
    submission_submit(actor=SYSTEM, submission=submission, version=submission.version)
    submission.refresh_from_db()
    return leader, site, submission


def _features(body: str) -> list[str]:
    return [f["properties"].get("name", "") for f in json.loads(body)["features"]]


def test_an_edit_through_one_process_is_seen_through_the_other(servers, world):
    a, b = servers
    leader, site, submission = world
    bbox = "/api/v1/heritage/sites.geojson?bbox=105.8,21.0,105.9,21.1&zoom=15"
    page = f"/heritage/sites/{site.code}/"
    search = "/api/v1/search?q=dinh+hai+tien+trinh"
    visitor = Browser()
    # B answers the public pages and keeps them in the shared cache.
    for _ in range(3):
        assert visitor.request(b + page)[0] == 200
        assert _features(visitor.request(b + bbox)[1]) == ["Đình Hai Tiến Trình"]
        assert json.loads(visitor.request(b + search)[1])["total"] == 1
    assert visitor.request(b + page)[2]["X-Cache"] == "hit"

    # Sessions: signed in on A, recognised on B.
    officer = Browser()
    officer.sign_in(a, leader.username)
    status, body, _ = officer.request(b + "/heritage/manage/sites/")
    assert status == 200 and leader.get_full_name() in body

    # An edit through A: the site is taken off the portal.
    site.refresh_from_db()
    status, _, _ = officer.request(f"{a}/heritage/manage/sites/{site.pk}/unpublish/",
                                   data={"version": site.version}, headers={"Referer": a + "/heritage/manage/"})
    assert status == 302
    assert visitor.request(b + page)[0] == 404  # the cached page is gone at once
    assert _features(visitor.request(b + bbox)[1]) == []  # B's point index was rebuilt
    assert json.loads(visitor.request(b + search)[1])["total"] == 0  # and the search sees the draft as private

    # Analytics freshness: a report approved through A is counted when B is asked.
    query = "/api/v1/analytics?dimension=dx:VISITS&dimension=pe:202501&dimension=ou:SO-A"
    assert json.loads(officer.request(b + query)[1])["rows"] == []
    status, body = officer.post_json(f"{a}/api/v1/reporting/submissions/{submission.pk}/approve",
                                     {"version": submission.version})
    assert status == 200, body
    assert json.loads(officer.request(b + query)[1])["rows"] == [["VISITS", "202501", "SO-A", "1620"]]


def test_background_work_runs_on_the_worker(servers, world, tree):
    """A report accepted through A is forwarded by the Celery worker, not by the web process."""
    from tests.core.factories import person
    from vhttdl.core.accounts.roles import Role
    from vhttdl.core.outbox.models import Message

    a, _b = servers
    leader, _site, submission = world
    ministry = person(Role.MINISTRY_OFFICER, tree.ministry, username="chuyenvien-bo")
    ministry.set_password(PASSWORD)
    ministry.save()
    department, centre = Browser(), Browser()
    department.sign_in(a, leader.username)
    centre.sign_in(a, ministry.username)
    status, body = department.post_json(f"{a}/api/v1/reporting/submissions/{submission.pk}/approve",
                                        {"version": submission.version})
    assert status == 200, body
    status, body = centre.post_json(f"{a}/api/v1/reporting/submissions/{submission.pk}/accept",
                                    {"version": json.loads(body)["version"]})
    assert status == 200, body
    sent = wait_until(lambda: Message.objects.filter(destination="reporting.national", subject_id=submission.pk,
                                                     status="sent").first(),
                      what="the worker to send the outbox message")
    assert sent.attempts == 1
