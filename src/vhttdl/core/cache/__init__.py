"""Cache backends of the platform (Django's cache API, with what the public pages need of it)."""
