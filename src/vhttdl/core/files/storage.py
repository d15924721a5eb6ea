"""Where files live: Django's storage API, on disk by default, S3-compatible when `STORAGE_URL` is set.

Two storages: `default` (public media: pictures and documents shown on pages, under MEDIA_URL or
the bucket's address) and `private` (uploaded import files, never served: on disk under
`VAR_DIR/private`, in the bucket under `private/` with signed URLs only).

`STORAGE_URL` (parsed by `storages_from_url`, used by settings):

    s3://ACCESS_KEY:SECRET_KEY@HOST:PORT/BUCKET?region=ap-southeast-1&secure=0

- `s3://KEY:SECRET@/BUCKET` (no host) uses Amazon S3 itself; with a host (MinIO, Ceph, Viettel or
  FPT object storage...) the endpoint is `https://HOST:PORT`, or `http://` with `secure=0`.
  Percent-encode `/`, `:` or `@` inside the keys.
- `region` (default `us-east-1`), `addressing=path|virtual` (default `path` with a host),
  `prefix` (folder of the public media in the bucket, default `media`), `private_prefix`
  (default `private`), `signed=0` to link media without signatures (bucket or CDN serves the
  `media/` folder publicly), `custom_domain` (host name of a CDN in front of the media),
  `verify=0` to accept a self-signed TLS certificate.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile

S3_BACKEND = "storages.backends.s3.S3Storage"
PRIVATE = "private"


def _flag(query: dict[str, list[str]], name: str, default: bool) -> bool:
    value = (query.get(name) or [""])[-1].strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"STORAGE_URL: {name}={value!r} must be 1 or 0")


def storages_from_url(url: str) -> dict[str, dict[str, Any]]:
    """The `default` and `private` entries of Django's STORAGES for a `STORAGE_URL` (see the module doc)."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured("STORAGE_URL must start with s3:// (see docs/deployment.md)")
    bucket = parts.path.strip("/")
    if not bucket or "/" in bucket:
        raise ImproperlyConfigured("STORAGE_URL must name one bucket: s3://KEY:SECRET@HOST:PORT/BUCKET")
    query = parse_qs(parts.query)
    known = {"region", "secure", "addressing", "prefix", "private_prefix", "signed", "custom_domain", "verify"}
    unknown = set(query) - known
    if unknown:
        raise ImproperlyConfigured(f"STORAGE_URL: unknown parameter(s) {', '.join(sorted(unknown))}")
    host = parts.hostname or ""
    secure = _flag(query, "secure", True)
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "access_key": unquote(parts.username or "") or None,
        "secret_key": unquote(parts.password or "") or None,
        "region_name": (query.get("region") or ["us-east-1"])[-1],
        "file_overwrite": False,
        "default_acl": None,
        "use_ssl": secure,
    }
    if host:
        port = f":{parts.port}" if parts.port else ""
        options["endpoint_url"] = f"{'https' if secure else 'http'}://{host}{port}"
        options["addressing_style"] = (query.get("addressing") or ["path"])[-1]
    elif query.get("addressing"):
        options["addressing_style"] = query["addressing"][-1]
    if not _flag(query, "verify", True):
        options["verify"] = False
    public = {
        **options,
        "location": (query.get("prefix") or ["media"])[-1].strip("/"),
        "querystring_auth": _flag(query, "signed", True),
    }
    if query.get("custom_domain"):
        public["custom_domain"] = query["custom_domain"][-1]
    private = {**options, "location": (query.get("private_prefix") or ["private"])[-1].strip("/"),
               "querystring_auth": True}
    return {"default": {"BACKEND": S3_BACKEND, "OPTIONS": public},
            PRIVATE: {"BACKEND": S3_BACKEND, "OPTIONS": private}}


def get_storage(alias: str = "default"):
    """The storage `alias` (`default` or `private`); `private` falls back to `default` if not configured."""
    from django.core.files.storage import InvalidStorageError, storages

    try:
        return storages[alias]
    except InvalidStorageError:
        if alias == PRIVATE:
            return storages["default"]
        raise


def store_bytes(content: bytes, name: str, *, alias: str = "default") -> str:
    """Save `content` under `name` (see `names.stored_name`); returns the name the storage used."""
    return get_storage(alias).save(name, ContentFile(content))


def read_bytes(name: str, *, alias: str = "default", limit: int | None = None) -> bytes:
    with get_storage(alias).open(name, "rb") as handle:
        return handle.read() if limit is None else handle.read(limit)


def delete_files(names: Iterable[str], *, alias: str = "default") -> None:
    """Delete stored files; a file already gone is not an error."""
    storage = get_storage(alias)
    for name in names:
        if name:
            try:
                storage.delete(name)
            except (OSError, FileNotFoundError):
                pass


def is_local(alias: str = "default") -> bool:
    from django.core.files.storage import FileSystemStorage

    return isinstance(get_storage(alias), FileSystemStorage)
