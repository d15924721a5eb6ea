"""The one NinjaAPI at /api/v1: authentication, the error shape, and every module's router."""


from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from vhttdl import __version__
from vhttdl.core.accounts.services import TokenRejected, api_token_resolve
from vhttdl.core.api.errors import add_error_responses, describe
from vhttdl.core.api.parsing import SafeParser
from vhttdl.core.errors import DomainError


class BearerToken(HttpBearer):
    """`Authorization: Bearer vht_...`: a token issued on the profile page or by an administrator.

    The request remembers the token (`request.api_token`): what needs a person, such as issuing
    tokens, refuses a request made with one.
    """

    def authenticate(self, request: HttpRequest, token: str):
        api_token = api_token_resolve(token)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class Session(SessionAuth):
    """The browser's login session (CSRF-checked for writes)."""


class VhttdlAPI(NinjaAPI):
    """The NinjaAPI with the project's parser and every operation's error responses documented."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return add_error_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = VhttdlAPI(
    title="VHTTDL API",
    version=__version__,
    description=_(
        "API của nền tảng số ngành Văn hóa, Thể thao và Du lịch. Xác thực bằng phiên đăng nhập "
        "hoặc khóa API (Authorization: Bearer ...). Lỗi luôn có dạng {code, message, details}."
    ),
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    docs_url="/docs",
    # Swagger UI from django-ninja's own static files ("ninja" in INSTALLED_APPS), not a CDN; no online
    # validator badge (it would load an image from another origin, which the CSP refuses).
    docs=Swagger(settings={"validatorUrl": None}),
    parser=SafeParser(),
)


def error(request: HttpRequest, status: int, code: str, message: str, details=None):
    body = {"code": code, "message": message, "details": details}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def on_django_validation(request, exc: ValidationError):
    details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return error(request, 400, "invalid", "; ".join(exc.messages), details)


@api.exception_handler(NinjaValidationError)
def on_schema_validation(request, exc: NinjaValidationError):
    return error(request, 400, "invalid", describe(exc.errors), exc.errors)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc: PermissionDenied):
    return error(request, 403, "forbidden", str(exc) or _("Bạn không có quyền thực hiện thao tác này."))


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return error(request, 404, "not_found", str(exc) or _("Không tìm thấy đối tượng."))


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request, exc: ObjectDoesNotExist):
    return error(request, 404, "not_found", _("Không tìm thấy đối tượng."))


@api.exception_handler(TokenRejected)
def on_token_rejected(request, exc: TokenRejected):
    return error(request, 401, exc.code, exc.message)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc: AuthenticationError):
    return error(request, 401, "unauthenticated", _("Cần đăng nhập hoặc gửi khóa API hợp lệ."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    cause = exc.__cause__
    if isinstance(cause, DomainError):  # ninja wraps what the body parser raised: keep its message
        return on_domain_error(request, cause)
    return error(request, exc.status_code, "http_error", str(exc))


# Every module's router, from its module.py (core.modules): apps plug in without this file naming them.
def _add_module_routers() -> None:
    from django.utils.module_loading import import_string

    from vhttdl.core.modules import registry

    for prefix, dotted in registry.api_routers():
        api.add_router(prefix, import_string(dotted))


_add_module_routers()
