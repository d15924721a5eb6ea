"""Suite-wide set-up: compiled catalogues, fast hashing, no real e-mail, a clean policy cache."""

from __future__ import annotations

import pytest


def pytest_configure(config):
    from vhttdl.core.ui.management.commands.compile_translations import compile_all

    compile_all()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.AXES_ENABLED = True
    settings.LANGUAGE_CODE = "vi"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"},
    }
    from django.core.cache import caches

    from vhttdl.core.httpcache.middleware import forget_routes

    caches["pages"].clear()
    forget_routes()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def tree(db):
    """A small sector tree: Ministry > {Heritage agency, Dept A > Museum A, Dept B > Museum B}."""
    from tests.core.factories import build_tree

    return build_tree()


from tests.browser import browser, page  # noqa: E402, F401  (Playwright fixtures for tests marked `browser`)
