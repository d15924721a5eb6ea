"""Search for the whole platform (issue 4, item 5).

Feeding the index (from a module's own services, inside its transaction):
    from vhttdl.core.search.services import index_document, remove_document, index_documents_bulk
    index_document(kind="heritage.site", object_id=site.pk, title=..., body=..., title_en=...,
                   body_en=..., province_code="25", url="/...", public=site.is_published,
                   province_codes=[...])  # further provinces, if any (their old names become words)
Reading it (already scoped to what the actor may see):
    from vhttdl.core.search.selectors import search
    results = search(actor=request.user, q="den hung", kinds=["heritage.site"], province_code="25")
HTTP: GET /api/v1/search?q=&kind=a,b&province=&limit=&offset=&lang= (public), the page /search/
(`search:page`), and the box for any page:
    {% include "search/_box.html" with kinds="heritage.site,heritage.festival" box_id="portal" %}
    (plus <link rel="stylesheet" href="{% static 'search/search.css' %}">).
Rebuilding: `vhttdl manage search_reindex [--kind K]` (providers listed in `providers.py`).
Folding rules live in `vhttdl.core.text`; ranking and the database structures in `backends.py`;
what happens when nothing has every word (words left out, `SearchResults.left_out`) in
`query.ParsedQuery.relaxations`; former province names as words of documents in `places.py`.
"""
