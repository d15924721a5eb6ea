"""What every router of the one API shares: the body parser, the pagination, the error documents.

`config/api.py` builds the NinjaAPI from these; apps use `types` for bounded path and query values.
"""
