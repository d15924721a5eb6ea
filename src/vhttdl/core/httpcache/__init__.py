"""HTTP caching of public pages: a shared cache for anonymous visitors, and conditional GETs.

- A view says its answer is public with `mark_public(response, "heritage")` (or the `@public_page`
  decorator for function views), naming the apps whose content it shows.
- `PublicPageCacheMiddleware` stores such answers to anonymous GET requests in the `pages` cache
  (Redis when REDIS_URL is set, files under var/ otherwise: shared by every web process) and serves
  them from there, with ETag, Last-Modified and Cache-Control, and 304 to a matching If-None-Match.
- Every audited change (core.audit's `audit_record`) calls `content_changed(<app label>)` after
  commit, which moves that app's generation on: pages stored under an older generation are no longer
  served, by any process.
"""
