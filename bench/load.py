"""Benchmark: public and officer pages under concurrent load, beside a static file (issue 8, item 7).

    .venv/bin/python bench/load.py [--database-url URL] [--redis-url URL] [--duration 30]
                                   [--clients 100] [--officer-clients 20] [--workers N] [--no-write]

Sets up a fresh PostgreSQL database with the demo data (`vhttdl demo --no-serve`), starts
`vhttdl serve` in production mode with Redis as the shared cache, and drives it with wrk
(Debian's `wrk`; HTTP/1.1 keep-alive) from the same machine:

- public pages, `--clients` concurrent connections for `--duration` seconds each: the landing page,
  the map page, a site page, the search API, the bounding-box API, the festival calendar;
- in the same run, a static file from the same server (WhiteNoise), the reference;
- officer pages (signed in as the department officer `chuyenvienso`), `--officer-clients`
  connections: a report's grid, the completeness matrix, a pivot.

Reports requests per second, latency p50/p99 and the ratio to the static file. Targets: every
public page ≥ 1,000 req/s with p99 ≤ 200 ms on 2 cores and ≥ 0.3 of the static file; officer pages
p99 ≤ 300 ms. Figures go to the `load` section of docs/benchmarks.md. The load generator shares
the machine with the server (2 cores on the reference machine), as a visitor's phone does not.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import machine_description, write_section  # noqa: E402

VHTTDL = str(Path(sys.executable).with_name("vhttdl"))
PASSWORD = "vhttdl-demo-2025"


@dataclass
class Result:
    name: str
    url: str
    clients: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_load"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--officer-clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="comma-separated target names (default: all)")
    parser.add_argument("--reuse-database", action="store_true",
                        help="keep the database of an earlier run (skip the fresh demo load)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    return parser.parse_args()


# --- set-up ------------------------------------------------------------------------------------


def fresh_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def server_env(args: argparse.Namespace, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "VHTTDL_VAR_DIR": str(var_dir),
        "VHTTDL_ENV": "production",
        "SECRET_KEY": "bench-load-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "WEB_THREADS": str(args.threads),
        "CELERY_BROKER_URL": "",
    })
    return env


def load_demo(env: dict[str, str]) -> None:
    started = time.perf_counter()
    subprocess.run([VHTTDL, "demo", "--no-serve"], env={**env, "VHTTDL_ENV": ""}, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"demo data loaded in {time.perf_counter() - started:.0f} s", flush=True)


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [VHTTDL, "serve", "--host", "127.0.0.1", "--port", str(args.port), "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{args.port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("server stopped: " + server.stderr.read().decode()[-2000:])
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("server did not answer /healthz within 120 s")


def sign_in(base: str, username: str) -> str:
    """A Cookie header of a signed-in session, got through the login form as a browser would.

    Production settings mark cookies Secure and the server sits behind TLS there: this plain-HTTP
    client says so with X-Forwarded-Proto and sends the cookies back by hand.
    """
    import http.client

    host = urllib.parse.urlsplit(base).netloc
    proxy = {"X-Forwarded-Proto": "https", "Host": host}
    conn = http.client.HTTPConnection(host, timeout=30)
    conn.request("GET", "/accounts/login/", headers=proxy)
    answer = conn.getresponse()
    page = answer.read().decode()
    cookies = _cookies(answer)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    conn.request("POST", "/accounts/login/", body=data, headers={
        **proxy, "Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://{host}/accounts/login/",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    answer = conn.getresponse()
    answer.read()
    cookies.update(_cookies(answer))
    if "sessionid" not in cookies:
        raise SystemExit(f"could not sign in as {username} (HTTP {answer.status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _cookies(answer) -> dict[str, str]:
    found = {}
    for header in answer.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def targets(base: str, env: dict[str, str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(public targets, officer targets) as (name, path), chosen from the demo data."""
    code = subprocess.run(
        [VHTTDL, "manage", "shell", "-c",
         "from vhttdl.heritage.models import Site;"
         "print(Site.objects.filter(status='published', rank='special_national').order_by('code')[0].code)"],
        env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    officer = subprocess.run(
        [VHTTDL, "manage", "shell", "-c",
         "from vhttdl.reporting.models import Submission;"
         "s = Submission.objects.filter(organisation__code='SO-08').order_by('-period__start_date', 'pk')[0];"
         "e = s.form_version.data_elements.order_by('code')[0];"
         "print(s.pk, s.form.code, e.code, s.period.start_date.year)"],
        env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1].split()
    submission, form_code, element, year = officer
    public = [
        ("landing page", "/"),
        ("map page", "/heritage/"),
        ("site page", f"/heritage/sites/{code}/"),
        ("search API", "/api/v1/search?q=den+hung"),
        ("bbox API", "/api/v1/heritage/sites.geojson?bbox=102.1,8.4,109.5,23.4&zoom=6"),
        ("festival calendar", "/heritage/festivals/"),
    ]
    officer_pages = [
        ("report grid", f"/reporting/submissions/{submission}/"),
        ("completeness", f"/reporting/completeness/?form={urllib.parse.quote(form_code)}"),
        ("pivot", f"/reporting/analytics/?de={urllib.parse.quote(element)}&start={year}01&end={year}12"),
    ]
    return public, officer_pages


# --- measuring ---------------------------------------------------------------------------------


def _ms(text: str) -> float:
    value = float(re.match(r"[\d.]+", text).group(0))
    if text.endswith("us"):
        return value / 1000
    if text.endswith("ms"):
        return value
    if text.endswith("s"):
        return value * 1000
    return value


def wrk(name: str, url: str, *, clients: int, duration: int, cookie: str = "") -> Result:
    headers = ["-H", "Accept-Encoding: identity"]
    if cookie:  # a signed-in officer, behind the TLS proxy of production (secure cookies)
        headers += ["-H", f"Cookie: {cookie}", "-H", "X-Forwarded-Proto: https"]
    # A short warm-up: the first answers fill the shared cache and the per-process state.
    subprocess.run(["wrk", "-t1", "-c4", "-d2s", *headers, url], check=True, capture_output=True)
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{duration}s", "--latency", "--timeout", "10s",
                          *headers, url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    distribution = out.split("Latency Distribution", 1)[-1]
    if not re.search(r"^\s+50%\s+\d", distribution, re.M):
        raise SystemExit(f"{name}: no answer within the run ({url}):\n{out}")
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", distribution, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", distribution, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)) else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    result = Result(name, url, clients, rps, p50, p99, errors, requests)
    print(f"{name:20} {clients:4} clients {rps:9.0f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
          f"errors {errors}", flush=True)
    return result


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def report(args, results: list[Result], static: Result, database: str, load_before: str) -> str:
    lines = [
        "## Public and officer pages under load",
        "",
        f"Machine: {machine_description(database)}. `vhttdl serve` (gunicorn, {args.workers} workers × "
        f"{args.threads} threads, production settings, Redis cache) on the demo data, driven by wrk on the same "
        f"machine (HTTP/1.1 keep-alive), {args.duration} s per page after a 2 s warm-up. The load generator "
        f"takes part of the same cores. Load average (1 / 5 / 15 min) {load_before} before the run, {_load()} "
        "after it (the load generator and the server count in it).",
        "",
        "| page | clients | req/s | p50 ms | p99 ms | ratio to static | errors | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in [static, *results]:
        officer = r.clients == args.officer_clients and r is not static and r.name in OFFICER_NAMES
        if r is static:
            target = "reference"
        elif officer:
            target = "p99 ≤ 300 ms: " + ("met" if r.p99_ms <= 300 and not r.errors else "NOT met")
        else:
            met = r.rps >= 1000 and r.p99_ms <= 200 and r.rps / static.rps >= 0.3 and not r.errors
            target = "≥ 1,000 req/s, p99 ≤ 200 ms, ratio ≥ 0.3: " + ("met" if met else "NOT met")
        path = "/" + r.url.split("//", 1)[1].split("/", 1)[1]
        lines.append(f"| {r.name} (`{path[:60]}`) | {r.clients} | "
                     f"{r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.rps / static.rps:.2f} | {r.errors} | "
                     f"{target} |")
    lines += [
        "",
        "Public pages are answered from the shared page cache (`core.httpcache`) after the first request; "
        "officer pages are rendered for every request (signed-in people are never served a stored page).",
    ]
    return "\n".join(lines)


OFFICER_NAMES = {"report grid", "completeness", "pivot"}


def database_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0]


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    load_before = _load()
    var_dir = Path(tempfile.mkdtemp(prefix="vhttdl-load-"))
    env = server_env(args, var_dir)
    flush_redis(args.redis_url)
    if not args.reuse_database:
        fresh_database(args.database_url)
        load_demo(env)
    server = start_server(args, env)
    base = f"http://127.0.0.1:{args.port}"
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    try:
        public, officer_pages = targets(base, env)
        cookie = sign_in(base, "chuyenvienso")
        static = wrk("static file", base + "/static/vhttdl/app.css", clients=args.clients, duration=args.duration)
        results = [wrk(name, base + path, clients=args.clients, duration=args.duration)
                   for name, path in public if not only or name in only]
        results += [wrk(name, base + path, clients=args.officer_clients, duration=args.duration, cookie=cookie)
                    for name, path in officer_pages if not only or name in only]
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)
    body = report(args, results, static, database_version(args.database_url), load_before)
    print(body)
    if not args.no_write:
        print("written to", write_section("load", body))


if __name__ == "__main__":
    main()
