"""The report forms the platform ships with, as data, and their idempotent loader.

`load_catalogue()` creates whatever is missing (categories, combos, indicators, forms, a first
published version of each layout, validation rules) and never overwrites what officials have
since edited in the designer. Run it with `vhttdl manage reporting_load_forms`.

Form codes follow the style of the Ministry's statistical reporting regime ("<no>.<period>/<area>",
T = month, Q = quarter, N = year); the numbering is ours and should be checked against the
appendix of Circular 16/2022/TT-BVHTTDL before a real roll-out. Units of money are million VND
("triệu đồng"), as in the sector's forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.units.models import Organisation
from vhttdl.core.units.reference import SPLIT_TOURISM_PROVINCES
from vhttdl.reporting.models import (
    Category,
    CategoryCombo,
    DataElement,
    FormVersion,
    PeriodType,
    ReportForm,
)

K = Organisation.Kind
V = DataElement.ValueType
A = DataElement.Aggregation

# (code, name, name_en, [(option code, name, name_en)])
CATEGORIES = [
    (
        "NGUON_KHACH",
        "Nguồn khách",
        "Guest origin",
        [("INTL", "Khách quốc tế", "International guests"), ("DOM", "Khách nội địa", "Domestic guests")],
    ),
    ("LUU_TRU", "Hình thức", "Stay", [("ON", "Có lưu trú", "Overnight"), ("SD", "Trong ngày", "Same-day")]),
    (
        "HANG_DI_TICH",
        "Hạng di tích",
        "Relic rank",
        [
            ("CT", "Cấp tỉnh", "Provincial"),
            ("QG", "Quốc gia", "National"),
            ("QGDB", "Quốc gia đặc biệt", "Special national"),
        ],
    ),
    (
        "SO_HUU",
        "Loại hình sở hữu",
        "Ownership",
        [("CONG_LAP", "Công lập", "Public"), ("NGOAI_CL", "Ngoài công lập", "Non-public")],
    ),
    (
        "HUY_CHUONG",
        "Loại huy chương",
        "Medal",
        [("VANG", "Vàng", "Gold"), ("BAC", "Bạc", "Silver"), ("DONG", "Đồng", "Bronze")],
    ),
    ("KENH", "Kênh", "Channel", [("ONLINE", "Trực tuyến", "Online"), ("TRUC_TIEP", "Trực tiếp", "In person")]),
    ("GIOI_TINH", "Giới tính", "Sex", [("NAM", "Nam", "Male"), ("NU", "Nữ", "Female")]),
]

# (code, name, name_en, [category codes])
COMBOS = [
    ("NGUON_KHACH", "Nguồn khách", "Guest origin", ["NGUON_KHACH"]),
    ("NGUON_KHACH_LUU_TRU", "Nguồn khách × hình thức", "Guest origin × stay", ["NGUON_KHACH", "LUU_TRU"]),
    ("HANG_DI_TICH", "Hạng di tích", "Relic rank", ["HANG_DI_TICH"]),
    ("SO_HUU", "Loại hình sở hữu", "Ownership", ["SO_HUU"]),
    ("HUY_CHUONG", "Loại huy chương", "Medal", ["HUY_CHUONG"]),
    ("KENH", "Kênh", "Channel", ["KENH"]),
    ("GIOI_TINH", "Giới tính", "Sex", ["GIOI_TINH"]),
]


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    name_en: str
    unit: str
    unit_en: str
    value_type: str = V.NON_NEGATIVE_INTEGER
    aggregation: str = A.SUM
    combo: str = CategoryCombo.DEFAULT_CODE
    national_code: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    left: str
    operator: str
    right: str
    importance: str
    message: str
    message_en: str


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    title_en: str
    legal_basis: str
    sector: str
    period_type: str
    submitter_kinds: list[str]
    sections: list[tuple[str, str, list[str]]]  # (title, title_en, [element codes])
    data_window: str = ReportForm.DataWindow.CALENDAR
    deadline_anchor: str = ReportForm.DeadlineAnchor.MONTH_AFTER_PERIOD
    deadline_day: int = 20
    expiry_days: int = 0
    rules: list[Rule] = field(default_factory=list)


ELEMENTS = [
    # Cultural heritage (annual)
    Element(
        "DS_DT_XEP_HANG",
        "Số di tích được xếp hạng",
        "Ranked relics",
        "di tích",
        "relics",
        combo="HANG_DI_TICH",
        national_code="1601",
    ),
    Element("DS_DT_KIEM_KE", "Số di tích đã kiểm kê", "Inventoried relics", "di tích", "relics"),
    Element(
        "DS_DT_TU_BO",
        "Số di tích được tu bổ, tôn tạo trong năm",
        "Relics restored during the year",
        "di tích",
        "relics",
    ),
    Element(
        "DS_PVT_QG",
        "Số di sản văn hóa phi vật thể trong Danh mục quốc gia",
        "Intangible heritage items on the national list",
        "di sản",
        "items",
        aggregation=A.SUM,
    ),
    Element("DS_BAO_VAT", "Số bảo vật quốc gia", "National treasures", "bảo vật", "treasures"),
    Element("DS_BAO_TANG", "Số bảo tàng", "Museums", "bảo tàng", "museums", combo="SO_HUU", national_code="1603"),
    Element("DS_HIEN_VAT", "Số hiện vật đang quản lý", "Artefacts held", "hiện vật", "artefacts", aggregation=A.LAST),
    Element(
        "DS_HIEN_VAT_SO_HOA",
        "Số hiện vật đã số hóa",
        "Artefacts digitised",
        "hiện vật",
        "artefacts",
        aggregation=A.LAST,
    ),
    Element(
        "DS_LUOT_KHACH",
        "Lượt khách tham quan di tích, bảo tàng",
        "Visits to relics and museums",
        "lượt",
        "visits",
        combo="NGUON_KHACH",
    ),
    Element(
        "DS_THU_VE", "Thu từ bán vé tham quan", "Admission revenue", "triệu đồng", "million VND", value_type=V.NUMBER
    ),
    # Tourism (monthly): the measures of the statistics office's form 01CS/LTDL
    Element(
        "DL_LUOT_KHACH",
        "Lượt khách du lịch",
        "Tourist arrivals",
        "lượt",
        "arrivals",
        combo="NGUON_KHACH_LUU_TRU",
        national_code="1701",
    ),
    Element("DL_NGAY_KHACH", "Ngày khách lưu trú", "Guest-nights", "ngày khách", "guest-nights", combo="NGUON_KHACH"),
    Element(
        "DL_TONG_THU",
        "Tổng thu từ khách du lịch",
        "Tourism receipts",
        "triệu đồng",
        "million VND",
        value_type=V.NUMBER,
        combo="NGUON_KHACH",
        national_code="1702",
    ),
    Element(
        "DL_DT_LUU_TRU",
        "Doanh thu dịch vụ lưu trú",
        "Accommodation revenue",
        "triệu đồng",
        "million VND",
        value_type=V.NUMBER,
    ),
    Element(
        "DL_DT_AN_UONG",
        "Doanh thu dịch vụ ăn uống",
        "Food-service revenue",
        "triệu đồng",
        "million VND",
        value_type=V.NUMBER,
    ),
    Element(
        "DL_DT_LU_HANH",
        "Doanh thu dịch vụ lữ hành",
        "Travel-service revenue",
        "triệu đồng",
        "million VND",
        value_type=V.NUMBER,
    ),
    Element(
        "DL_CO_SO_LT",
        "Số cơ sở lưu trú du lịch",
        "Tourist accommodation establishments",
        "cơ sở",
        "establishments",
        aggregation=A.LAST,
    ),
    Element("DL_BUONG", "Số buồng lưu trú", "Rooms", "buồng", "rooms", aggregation=A.LAST),
    Element(
        "DL_CONG_SUAT",
        "Công suất sử dụng buồng bình quân",
        "Average room occupancy",
        "%",
        "%",
        value_type=V.PERCENTAGE,
        aggregation=A.AVERAGE,
    ),
    # Sports (annual)
    Element(
        "TT_TY_LE_TAP",
        "Tỷ lệ dân số tập luyện thể dục thể thao thường xuyên",
        "Share of people exercising regularly",
        "%",
        "%",
        value_type=V.PERCENTAGE,
        aggregation=A.AVERAGE,
        national_code="1801",
    ),
    Element("TT_CLB", "Số câu lạc bộ thể dục thể thao", "Sports clubs", "câu lạc bộ", "clubs"),
    Element(
        "TT_VDV", "Số vận động viên đội tuyển", "Athletes in provincial teams", "người", "people", combo="GIOI_TINH"
    ),
    Element(
        "TT_HUY_CHUONG",
        "Số huy chương tại giải quốc gia, quốc tế",
        "Medals at national and international events",
        "huy chương",
        "medals",
        combo="HUY_CHUONG",
    ),
    Element(
        "TT_CONG_TRINH", "Số công trình thể thao", "Sports facilities", "công trình", "facilities", aggregation=A.LAST
    ),
    Element("TT_GIAI", "Số giải thể thao tổ chức trong năm", "Sports events held", "giải", "events"),
    # Online public services and digital transformation (quarterly, Decree 09 window)
    Element(
        "CDS_TTHC",
        "Số thủ tục hành chính thuộc thẩm quyền giải quyết",
        "Administrative procedures handled",
        "thủ tục",
        "procedures",
        aggregation=A.LAST,
    ),
    Element(
        "CDS_TTHC_TOAN_TRINH",
        "Số thủ tục cung cấp dịch vụ công trực tuyến toàn trình",
        "Procedures fully online",
        "thủ tục",
        "procedures",
        aggregation=A.LAST,
    ),
    Element(
        "CDS_TTHC_MOT_PHAN",
        "Số thủ tục cung cấp dịch vụ công trực tuyến một phần",
        "Procedures partially online",
        "thủ tục",
        "procedures",
        aggregation=A.LAST,
    ),
    Element(
        "CDS_HO_SO", "Số hồ sơ tiếp nhận", "Dossiers received", "hồ sơ", "dossiers", combo="KENH", national_code="0901"
    ),
    Element("CDS_HS_DUNG_HAN", "Số hồ sơ giải quyết đúng hạn", "Dossiers processed on time", "hồ sơ", "dossiers"),
    Element("CDS_HS_QUA_HAN", "Số hồ sơ giải quyết quá hạn", "Dossiers processed late", "hồ sơ", "dossiers"),
    Element(
        "CDS_HS_TT_TRUC_TUYEN",
        "Số hồ sơ thanh toán phí, lệ phí trực tuyến",
        "Dossiers paid online",
        "hồ sơ",
        "dossiers",
    ),
    Element("CDS_KQ_SO_HOA", "Số kết quả giải quyết được số hóa", "Results digitised", "kết quả", "results"),
    Element(
        "CDS_DONG_BO_DVCQG",
        "Số hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
        "Dossiers synchronised to the National Public Service Portal",
        "hồ sơ",
        "dossiers",
    ),
    # Libraries (annual)
    Element(
        "TV_BAN_SACH", "Tổng số bản sách, tài liệu", "Books and documents held", "bản", "copies", aggregation=A.LAST
    ),
    Element("TV_SO_HOA", "Số tài liệu đã số hóa", "Documents digitised", "tài liệu", "documents", aggregation=A.LAST),
    Element("TV_THE", "Số thẻ bạn đọc", "Reader cards", "thẻ", "cards", aggregation=A.LAST),
    Element("TV_LUOT_DOC", "Lượt bạn đọc được phục vụ", "Reader visits served", "lượt", "visits", combo="KENH"),
    Element("TV_LUAN_CHUYEN", "Lượt tài liệu luân chuyển", "Document loans", "lượt", "loans"),
    Element(
        "TV_DIEM_CO_SO",
        "Số điểm thư viện cơ sở, tủ sách cộng đồng",
        "Community library points",
        "điểm",
        "points",
        aggregation=A.LAST,
    ),
]

CIRCULAR_16 = "Thông tư số 16/2022/TT-BVHTTDL ngày 22/12/2022"

FORMS = [
    Form(
        "01.N/DSVH",
        "Di tích, di sản văn hóa và bảo tàng",
        "Relics, cultural heritage and museums",
        CIRCULAR_16,
        "heritage",
        PeriodType.YEARLY,
        [K.DEPARTMENT, K.MUSEUM],
        [
            ("I. Di tích", "I. Relics", ["DS_DT_XEP_HANG", "DS_DT_KIEM_KE", "DS_DT_TU_BO"]),
            (
                "II. Di sản phi vật thể và bảo vật quốc gia",
                "II. Intangible heritage and national treasures",
                ["DS_PVT_QG", "DS_BAO_VAT"],
            ),
            ("III. Bảo tàng", "III. Museums", ["DS_BAO_TANG", "DS_HIEN_VAT", "DS_HIEN_VAT_SO_HOA"]),
            ("IV. Khách tham quan", "IV. Visitors", ["DS_LUOT_KHACH", "DS_THU_VE"]),
        ],
        deadline_anchor=ReportForm.DeadlineAnchor.MONTH_AFTER_PERIOD,
        deadline_day=15,
        expiry_days=60,
        rules=[
            Rule(
                "HV_SO_HOA",
                "#{DS_HIEN_VAT_SO_HOA}",
                "<=",
                "#{DS_HIEN_VAT}",
                "error",
                "Số hiện vật đã số hóa không được lớn hơn số hiện vật đang quản lý",
                "Artefacts digitised cannot exceed artefacts held",
            ),
            Rule(
                "DT_KIEM_KE",
                "#{DS_DT_KIEM_KE}",
                ">=",
                "#{DS_DT_XEP_HANG}",
                "warning",
                "Di tích đã xếp hạng thường đã được kiểm kê: số kiểm kê đang nhỏ hơn số xếp hạng",
                "Ranked relics are normally inventoried: inventoried is below ranked",
            ),
        ],
    ),
    Form(
        "01.T/DL",
        "Kết quả hoạt động du lịch (chỉ tiêu phiếu 01CS/LTDL)",
        "Tourism results (measures of form 01CS/LTDL)",
        CIRCULAR_16 + "; phiếu 01CS/LTDL của cơ quan thống kê",
        "tourism",
        PeriodType.MONTHLY,
        [K.DEPARTMENT],
        [
            ("I. Khách du lịch", "I. Tourists", ["DL_LUOT_KHACH", "DL_NGAY_KHACH"]),
            ("II. Doanh thu", "II. Revenue", ["DL_TONG_THU", "DL_DT_LUU_TRU", "DL_DT_AN_UONG", "DL_DT_LU_HANH"]),
            ("III. Cơ sở lưu trú", "III. Accommodation", ["DL_CO_SO_LT", "DL_BUONG", "DL_CONG_SUAT"]),
        ],
        deadline_anchor=ReportForm.DeadlineAnchor.MONTH_AFTER_PERIOD,
        deadline_day=12,
        expiry_days=30,
        rules=[
            Rule(
                "DT_THANH_PHAN",
                "#{DL_DT_LUU_TRU} + #{DL_DT_AN_UONG} + #{DL_DT_LU_HANH}",
                "<=",
                "#{DL_TONG_THU}",
                "error",
                "Doanh thu lưu trú, ăn uống và lữ hành cộng lại không được vượt tổng thu",
                "Accommodation, food and travel revenue together cannot exceed total receipts",
            ),
            Rule(
                "NGAY_KHACH",
                "#{DL_NGAY_KHACH}",
                ">=",
                "#{DL_LUOT_KHACH.INTL_ON} + #{DL_LUOT_KHACH.DOM_ON}",
                "warning",
                "Mỗi lượt khách có lưu trú có ít nhất một ngày khách",
                "Each overnight arrival has at least one guest-night",
            ),
        ],
    ),
    Form(
        "01.N/TDTT",
        "Thể dục, thể thao",
        "Physical training and sports",
        CIRCULAR_16,
        "sports",
        PeriodType.YEARLY,
        [K.DEPARTMENT],
        [
            ("I. Thể thao quần chúng", "I. Sport for all", ["TT_TY_LE_TAP", "TT_CLB", "TT_GIAI"]),
            ("II. Thể thao thành tích cao", "II. High-performance sport", ["TT_VDV", "TT_HUY_CHUONG"]),
            ("III. Cơ sở vật chất", "III. Facilities", ["TT_CONG_TRINH"]),
        ],
        deadline_day=15,
        expiry_days=60,
    ),
    Form(
        "01.Q/CDS",
        "Dịch vụ công trực tuyến và chuyển đổi số",
        "Online public services and digital transformation",
        "Nghị định số 09/2019/NĐ-CP; Nghị định số 42/2022/NĐ-CP",
        "digital",
        PeriodType.QUARTERLY,
        [K.DEPARTMENT],
        [
            (
                "I. Thủ tục hành chính",
                "I. Administrative procedures",
                ["CDS_TTHC", "CDS_TTHC_TOAN_TRINH", "CDS_TTHC_MOT_PHAN"],
            ),
            ("II. Hồ sơ", "II. Dossiers", ["CDS_HO_SO", "CDS_HS_DUNG_HAN", "CDS_HS_QUA_HAN", "CDS_HS_TT_TRUC_TUYEN"]),
            ("III. Số hóa và kết nối", "III. Digitisation and connection", ["CDS_KQ_SO_HOA", "CDS_DONG_BO_DVCQG"]),
        ],
        data_window=ReportForm.DataWindow.DECREE_09,
        deadline_anchor=ReportForm.DeadlineAnchor.LAST_MONTH_OF_PERIOD,
        deadline_day=20,
        expiry_days=20,
        rules=[
            Rule(
                "TTHC_TRUC_TUYEN",
                "#{CDS_TTHC_TOAN_TRINH} + #{CDS_TTHC_MOT_PHAN}",
                "<=",
                "#{CDS_TTHC}",
                "error",
                "Số thủ tục trực tuyến (toàn trình và một phần) không vượt tổng số thủ tục",
                "Online procedures (full and partial) cannot exceed all procedures",
            ),
            Rule(
                "HS_GIAI_QUYET",
                "#{CDS_HS_DUNG_HAN} + #{CDS_HS_QUA_HAN}",
                "<=",
                "#{CDS_HO_SO}",
                "error",
                "Hồ sơ đã giải quyết không vượt số hồ sơ tiếp nhận",
                "Dossiers processed cannot exceed received",
            ),
            Rule(
                "HS_THANH_TOAN",
                "#{CDS_HS_TT_TRUC_TUYEN}",
                "<=",
                "#{CDS_HO_SO}",
                "error",
                "Hồ sơ thanh toán trực tuyến không vượt số hồ sơ tiếp nhận",
                "Dossiers paid online cannot exceed received",
            ),
            Rule(
                "KQ_SO_HOA",
                "#{CDS_KQ_SO_HOA}",
                "<=",
                "#{CDS_HS_DUNG_HAN} + #{CDS_HS_QUA_HAN}",
                "warning",
                "Số kết quả được số hóa lớn hơn số hồ sơ đã giải quyết",
                "More results digitised than dossiers processed",
            ),
        ],
    ),
    Form(
        "01.N/TV",
        "Thư viện và số hóa tài liệu",
        "Libraries and digitisation",
        CIRCULAR_16,
        "library",
        PeriodType.YEARLY,
        [K.LIBRARY],
        [
            ("I. Vốn tài liệu", "I. Collections", ["TV_BAN_SACH", "TV_SO_HOA"]),
            ("II. Phục vụ bạn đọc", "II. Readers", ["TV_THE", "TV_LUOT_DOC", "TV_LUAN_CHUYEN"]),
            ("III. Mạng lưới", "III. Network", ["TV_DIEM_CO_SO"]),
        ],
        deadline_day=15,
        expiry_days=60,
        rules=[
            Rule(
                "SO_HOA",
                "#{TV_SO_HOA}",
                "<=",
                "#{TV_BAN_SACH}",
                "error",
                "Số tài liệu đã số hóa không được lớn hơn tổng số bản sách, tài liệu",
                "Documents digitised cannot exceed documents held",
            ),
        ],
    ),
]


def excluded_units_for(sector: str) -> list[Organisation] | None:
    """Departments that do not submit a sector's form.

    Tourism: the culture-and-sports departments of the cities with a separate tourism department
    (that department reports instead). Heritage and sports: the tourism departments.
    """
    if sector == "tourism":
        return list(
            Organisation.objects.filter(code__in=[f"SO-{c}" for c in SPLIT_TOURISM_PROVINCES], valid_to__isnull=True)
        )
    if sector in {"heritage", "sports"}:
        return list(Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, code__startswith="SDL-"))
    return None


@transaction.atomic
def load_catalogue() -> dict[str, int]:
    """Create what is missing; leave what exists (officials may have edited it). Returns counts made."""
    from vhttdl.reporting.services import metadata

    made = {"categories": 0, "combos": 0, "elements": 0, "forms": 0, "rules": 0}
    metadata.default_combo()
    categories = {c.code: c for c in Category.objects.all()}
    for code, name, name_en, options in CATEGORIES:
        if code not in categories:
            categories[code] = metadata.category_save(
                actor=SYSTEM, code=code, name=name, name_en=name_en, options=options
            )
            made["categories"] += 1
    combos = {c.code: c for c in CategoryCombo.objects.all()}
    for code, name, name_en, category_codes in COMBOS:
        if code not in combos:
            combos[code] = metadata.combo_save(
                actor=SYSTEM, code=code, name=name, name_en=name_en, categories=[categories[c] for c in category_codes]
            )
            made["combos"] += 1
    existing = set(DataElement.objects.values_list("code", flat=True))
    for e in ELEMENTS:
        if e.code in existing:
            continue
        metadata.data_element_save(
            actor=SYSTEM,
            code=e.code,
            name=e.name,
            name_en=e.name_en,
            unit_of_measure=e.unit,
            unit_of_measure_en=e.unit_en,
            value_type=e.value_type,
            aggregation=e.aggregation,
            category_combo=combos[e.combo],
            national_code=e.national_code,
        )
        made["elements"] += 1
    forms = {f.code: f for f in ReportForm.objects.all()}
    for f in FORMS:
        form = forms.get(f.code)
        if form is None:
            form = metadata.form_save(
                actor=SYSTEM,
                code=f.code,
                title=f.title,
                title_en=f.title_en,
                legal_basis=f.legal_basis,
                sector=f.sector,
                period_type=f.period_type,
                data_window=f.data_window,
                deadline_anchor=f.deadline_anchor,
                deadline_day=f.deadline_day,
                expiry_days=f.expiry_days,
                submitter_kinds=list(f.submitter_kinds),
                excluded_units=excluded_units_for(f.sector),
            )
            made["forms"] += 1
        if not form.versions.exists():
            layout = {
                "sections": [
                    {"title": t, "title_en": t_en, "rows": [{"element": c} for c in codes]}
                    for t, t_en, codes in f.sections
                ]
            }
            version = metadata.form_layout_save(actor=SYSTEM, form=form, layout=layout)
            if version.status == FormVersion.Status.DRAFT:
                metadata.form_version_publish(actor=SYSTEM, version=version)
        have_rules = set(form.validation_rules.values_list("code", flat=True))
        for r in f.rules:
            if r.code not in have_rules:
                metadata.validation_rule_save(
                    actor=SYSTEM,
                    form=form,
                    code=r.code,
                    left=r.left,
                    operator=r.operator,
                    right=r.right,
                    importance=r.importance,
                    message=r.message,
                    message_en=r.message_en,
                )
                made["rules"] += 1
    return made
