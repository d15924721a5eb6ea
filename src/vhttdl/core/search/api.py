"""/api/v1/search: the platform-wide search, public (anonymous visitors see public documents)."""


from django.http import HttpResponse
from django.utils import translation
from ninja import Query, Router, Schema
from pydantic import Field

from vhttdl.core.accounts.services import api_token_authenticate
from vhttdl.core.httpcache.marking import mark_public
from vhttdl.core.modules import registry
from vhttdl.core.search.selectors import MAX_LIMIT, MAX_OFFSET, search

router = Router(tags=["search"])


class SearchHitOut(Schema):
    kind: str
    kind_label: str
    object_id: str
    title: str
    title_html: str  # HTML-escaped title, matched words in <mark>
    url: str
    snippet: str  # HTML-escaped excerpt, matched words in <mark>
    score: float
    province_code: str
    title_lang: str  # "vi" when English was asked for and the title has no English version
    snippet_lang: str  # the same for the snippet


class SearchOut(Schema):
    q: str
    total: int
    total_exact: bool  # false for very broad queries: only the best candidates are counted and ranked
    limit: int
    offset: int
    message: str
    left_out: list[str]  # words typed that no hit has: nothing matched every word (see `message`)
    results_for: list[str]  # then, the words the hits do have
    hits: list[SearchHitOut]


class SearchParams(Schema):
    q: str = ""
    kind: str = ""  # one or more kinds, comma-separated
    province: str = ""
    lang: str = ""  # "vi" or "en"; default: the request's language
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("", response=SearchOut, auth=None)
def search_documents(request, response: HttpResponse, params: Query[SearchParams]):
    """Search every module's documents: diacritics optional, one typo tolerated, the last word as a
    prefix, old province names understood. When nothing has every word, words are left out (the
    least important first) and `left_out` lists them. Anonymous callers see public documents; a
    signed-in session or a bearer token also sees the drafts its grants allow (a bad token gets
    401). A query over 200 characters gets 400 `query_too_long`."""
    user = getattr(request, "user", None)
    authorization = request.headers.get("Authorization", "")
    if authorization[:7].lower() == "bearer ":
        user = api_token_authenticate(authorization[7:].strip())
    language = params.lang or getattr(request, "LANGUAGE_CODE", "vi")
    kinds = [k.strip() for k in params.kind.split(",") if k.strip()]
    with translation.override(language if language in ("vi", "en") else translation.get_language()):  # messages too
        results = search(actor=user, q=params.q, kinds=kinds or None,
                         province_code=params.province.strip() or None, language=language,
                         limit=params.limit, offset=params.offset)
    mark_public(response, *registry.search_labels())  # anonymous answers are shared (core.httpcache)
    return {
        "q": results.q, "total": results.total, "total_exact": results.total_exact, "limit": results.limit,
        "offset": results.offset, "message": results.message, "left_out": results.left_out,
        "results_for": results.results_for, "hits": [hit.__dict__ for hit in results.hits],
    }
