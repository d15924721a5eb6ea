"""The columns of a site spreadsheet and the words accepted in its cells.

Headers are matched without case or diacritics, by machine name ("province_code") or the
Vietnamese label ("Mã tỉnh"). Ranks, types, UNESCO status and publication status accept the
machine value or Vietnamese words ("quốc gia đặc biệt", "danh lam thắng cảnh", "công bố").
"""

from __future__ import annotations

from dataclasses import dataclass

from vhttdl.core.text import fold
from vhttdl.heritage.models import RecordStatus, SiteRank, SiteType, UnescoStatus


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # Vietnamese header written on export
    required: bool = False
    help: str = ""


SITE_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã di tích", True),
    Column("name", "Tên di tích", True),
    Column("province_code", "Mã tỉnh", True),
    Column("commune_code", "Mã xã"),
    Column("rank", "Cấp xếp hạng", True),
    Column("type", "Loại hình", True),
    Column("latitude", "Vĩ độ"),
    Column("longitude", "Kinh độ"),
    Column("approximate", "Tọa độ gần đúng"),
    Column("address", "Địa chỉ"),
    Column("other_names", "Tên gọi khác"),
    Column("unesco_status", "UNESCO"),
    Column("status", "Trạng thái"),
    Column("organisation_code", "Mã đơn vị quản lý"),
    Column("decision_number", "Số quyết định xếp hạng"),
    Column("decision_date", "Ngày quyết định"),
    Column("decision_issuer", "Cơ quan ra quyết định"),
    Column("description", "Mô tả"),
    Column("history", "Lịch sử"),
    Column("directions", "Đường đến"),
    Column("name_en", "Tên tiếng Anh"),
    Column("description_en", "Mô tả tiếng Anh"),
)
COLUMN_NAMES = tuple(c.name for c in SITE_COLUMNS)
REQUIRED = tuple(c.name for c in SITE_COLUMNS if c.required)


def _key(text: str) -> str:
    return " ".join(fold(str(text or "")).replace("_", " ").replace("-", " ").split())


_HEADER_ALIASES: dict[str, str] = {}
for _column in SITE_COLUMNS:
    _HEADER_ALIASES[_key(_column.name)] = _column.name
    _HEADER_ALIASES[_key(_column.label)] = _column.name
_HEADER_ALIASES.update({
    _key("site_type"): "type", _key("ma"): "code", _key("ten"): "name", _key("tinh"): "province_code",
    _key("xa"): "commune_code", _key("cap"): "rank", _key("lat"): "latitude", _key("lon"): "longitude",
    _key("lng"): "longitude", _key("Mã đơn vị"): "organisation_code",
    _key("Số quyết định"): "decision_number", _key("Cơ quan ban hành"): "decision_issuer",
})


def header_to_column(header: str) -> str | None:
    return _HEADER_ALIASES.get(_key(header))


def _choice_map(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value, words in pairs.items():
        out[_key(value)] = value
        for word in words:
            out[_key(word)] = value
    return out


RANK_WORDS = _choice_map({
    SiteRank.SPECIAL_NATIONAL: ("Di tích quốc gia đặc biệt", "quốc gia đặc biệt", "đặc biệt", "QGĐB",
                                "special national"),
    SiteRank.NATIONAL: ("Di tích quốc gia", "quốc gia", "cấp quốc gia", "QG"),
    SiteRank.PROVINCIAL: ("Di tích cấp tỉnh", "cấp tỉnh", "tỉnh", "province"),
    SiteRank.INVENTORIED: ("Đã kiểm kê, chưa xếp hạng", "kiểm kê", "chưa xếp hạng", "inventory", "unranked"),
})
TYPE_WORDS = _choice_map({
    SiteType.HISTORICAL: ("Di tích lịch sử", "lịch sử", "history"),
    SiteType.ARCHITECTURAL_ARTISTIC: ("Di tích kiến trúc nghệ thuật", "kiến trúc nghệ thuật", "kiến trúc",
                                      "architectural artistic", "architecture"),
    SiteType.ARCHAEOLOGICAL: ("Di tích khảo cổ", "khảo cổ", "archaeology"),
    SiteType.SCENIC: ("Danh lam thắng cảnh", "danh thắng", "thắng cảnh", "scenic spot"),
})
UNESCO_WORDS = _choice_map({
    UnescoStatus.NONE: ("", "không", "no"),
    UnescoStatus.WORLD_HERITAGE: ("Di sản thế giới", "world heritage", "WHS"),
    UnescoStatus.TENTATIVE: ("Danh sách dự kiến", "dự kiến", "tentative list"),
})
YES_NO_WORDS = {_key(w): True for w in ("1", "x", "có", "co", "yes", "true", "đúng")}
YES_NO_WORDS.update({_key(w): False for w in ("", "0", "không", "khong", "no", "false", "sai")})



def parse_yes_no(value: str) -> bool | None:
    return YES_NO_WORDS.get(_key(value))


STATUS_WORDS = _choice_map({
    RecordStatus.DRAFT: ("", "nháp", "bản nháp"),
    RecordStatus.PUBLISHED: ("công bố", "đã công bố", "publish"),
})


def parse_choice(words: dict[str, str], value: str) -> str | None:
    return words.get(_key(value))

