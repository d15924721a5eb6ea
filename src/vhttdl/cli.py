"""The `vhttdl` command: demo, serve, worker, manage."""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vhttdl.config.settings")
    import django

    django.setup()


def _call(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _gunicorn(host: str, port: int, workers: int) -> None:
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn", "vhttdl.config.wsgi:application", "--bind", f"{host}:{port}", "--workers", str(workers),
        "--threads", os.environ.get("WEB_THREADS", "4"), "--timeout", os.environ.get("WEB_TIMEOUT", "120"),
        "--access-logfile", "-",
    ]
    run()


def demo(args: argparse.Namespace) -> None:
    """Set up the embedded platform with demo data and serve it."""
    if args.host not in {"127.0.0.1", "localhost"} and not os.environ.get("ALLOWED_HOSTS"):
        os.environ["ALLOWED_HOSTS"] = f"{args.host},localhost,127.0.0.1"
    _django_setup()
    _call("compile_translations")
    _call("migrate", "--no-input", "-v", "0")
    _call("load_demo")
    print(f"\nVHTTDL demo: http://{args.host}:{args.port}/   (API docs: /api/v1/docs)\n", flush=True)
    if not args.no_serve:
        _gunicorn(args.host, args.port, workers=int(os.environ.get("WEB_WORKERS", "2")))


def serve(args: argparse.Namespace) -> None:
    """Production server: compiled catalogues, collected static files (WhiteNoise), gunicorn."""
    _django_setup()
    _call("compile_translations")
    _call("collectstatic", "--no-input", "-v", "0")
    if args.migrate:
        _call("migrate", "--no-input")
    _gunicorn(args.host, args.port, workers=args.workers)


def worker(args: argparse.Namespace) -> None:
    """A Celery worker (with the beat scheduler embedded when --beat)."""
    _django_setup()
    from vhttdl.config.celery import app

    argv = ["worker", "--loglevel", "INFO"]
    if args.beat:
        argv.append("--beat")
    app.worker_main(argv)


def manage(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vhttdl.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vhttdl manage", *args.rest])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="vhttdl", description="VHTTDL digital platform")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="migrate, load reference and demo data, print demo logins, serve")
    p.add_argument("--host", default=DEFAULT_HOST)
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--no-serve", action="store_true", help="set up only; do not start the server")
    p.set_defaults(func=demo)

    p = sub.add_parser("serve", help="production server (gunicorn + WhiteNoise)")
    p.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))  # noqa: S104 - a server's job
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
    p.add_argument("--migrate", action="store_true", help="apply migrations before serving")
    p.set_defaults(func=serve)

    p = sub.add_parser("worker", help="Celery worker for background jobs")
    p.add_argument("--beat", action="store_true", help="also run the scheduler (one such worker only)")
    p.set_defaults(func=worker)

    p = sub.add_parser("manage", help="Django management commands", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=manage)

    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
