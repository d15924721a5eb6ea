"""Queries about the demo's real places and festivals, typed as visitors type them.

Each is (what is typed, the codes of the records that answer it, the kind of query). Where one
thing is several records (a festival that is also an intangible heritage item, a site and its
festival), any of them answers it. Written from the records' names and what visitors call them,
not from what the search returned (four that named drafts, which visitors cannot see, were
replaced by published records). Used by `test_relevance.py` and `bench/search_bench.py
--relevance`.

Kinds: folded (no diacritics), typo (one letter wrong, missing, doubled or swapped), part (part
of a name, or what people call it), typing (the last word still being typed), two places (a
place and its province, city or a second place), old province (a province before 2025, or an
older name), exact (with diacritics), english.
"""

from __future__ import annotations

QUERIES: list[tuple[str, tuple[str, ...], str]] = [
    # --- no diacritics ---
    ("den hung", ("25-0001", "LH-0001"), "folded"),
    ("chua mot cot", ("01-0009",), "folded"),
    ("van mieu quoc tu giam", ("01-0002",), "folded"),
    ("hoang thanh thang long", ("01-0001",), "folded"),
    ("ho hoan kiem", ("01-0003",), "folded"),
    ("co loa", ("01-0004", "LH-0012"), "folded"),
    ("chua tay phuong", ("01-0007",), "folded"),
    ("chua thay", ("01-0008",), "folded"),
    ("nha tu hoa lo", ("01-0015",), "folded"),
    ("lang co duong lam", ("01-0017",), "folded"),
    ("thanh co son tay", ("01-0018",), "folded"),
    ("vinh ha long", ("22-0001",), "folded"),
    ("yen tu", ("22-0002", "LH-0005", "PVT-0018"), "folded"),
    ("bai coc bach dang", ("22-0003",), "folded"),
    ("chua but thap", ("24-0002",), "folded"),
    ("chua dau", ("24-0001", "LH-0031"), "folded"),
    ("den do", ("24-0003", "LH-0030"), "folded"),
    ("quan ho bac ninh", ("PVT-0003",), "folded"),
    ("hoi lim", ("LH-0007", "PVT-0019"), "folded"),
    ("trang an", ("37-0001",), "folded"),
    ("co do hoa lu", ("37-0002",), "folded"),
    ("nha tho da phat diem", ("37-0005",), "folded"),
    ("phu giay", ("37-0006", "LH-0008", "PVT-0020"), "folded"),
    ("thai mieu nha hau le", ("38-0011",), "folded"),
    ("lam kinh", ("38-0002", "LH-0017"), "folded"),
    ("phong nha ke bang", ("44-0001",), "folded"),
    ("thanh co quang tri", ("44-0002",), "folded"),
    ("dia dao vinh moc", ("44-0004",), "folded"),
    ("kinh thanh hue", ("46-0001",), "folded"),
    ("lang tu duc", ("46-0002",), "folded"),
    ("chua thien mu", ("46-0006", "LH-0044"), "folded"),
    ("nha nhac cung dinh hue", ("PVT-0001",), "folded"),
    ("thanh dia my son", ("48-0001",), "folded"),
    ("chua cau", ("48-0003",), "folded"),
    ("ngu hanh son", ("48-0004", "LH-0034"), "folded"),
    ("thap ba ponagar", ("56-0001", "LH-0023"), "folded"),
    ("dinh doc lap", ("79-0002",), "folded"),
    ("dia dao cu chi", ("79-0001",), "folded"),
    ("con dao", ("79-0003",), "folded"),
    ("ben nha rong", ("79-0004",), "folded"),
    ("nui ba den", ("80-0002",), "folded"),
    ("mieu ba chua xu nui sam", ("91-0003", "LH-0006", "PVT-0016"), "folded"),
    ("oc eo", ("91-0001",), "folded"),
    ("mui ca mau", ("96-0001",), "folded"),
    ("cong chieng tay nguyen", ("PVT-0002",), "folded"),
    ("don ca tai tu", ("PVT-0008",), "folded"),
    ("ca tru", ("PVT-0004",), "folded"),
    ("hat xoan", ("PVT-0006",), "folded"),
    ("tranh dong ho", ("PVT-0024",), "folded"),
    ("mua roi nuoc", ("PVT-0025",), "folded"),
    ("gom bat trang", ("PVT-0028",), "folded"),
    ("hoi giong phu dong", ("LH-0003", "PVT-0005", "01-0023"), "folded"),
    ("le hoi chua huong", ("LH-0004", "PVT-0017"), "folded"),
    ("le hoi ooc om boc", ("LH-0009", "PVT-0021"), "folded"),
    ("le hoi kate", ("LH-0010", "PVT-0022"), "folded"),
    ("khai an den tran", ("LH-0011",), "folded"),
    ("ho ba be", ("19-0002",), "folded"),
    ("pac bo", ("04-0001",), "folded"),
    ("thac ban gioc", ("04-0003",), "folded"),
    ("tan trao", ("08-0001",), "folded"),
    ("cot co lung cu", ("08-0003",), "folded"),
    ("deo ma pi leng", ("08-0004",), "folded"),
    ("ham de castries dien bien", ("11-0002",), "folded"),
    ("ruong bac thang mu cang chai", ("15-0002",), "folded"),
    ("ai chi lang", ("20-0001",), "folded"),
    ("dong tam thanh", ("20-0003",), "folded"),
    ("den ba chua kho", ("24-0011", "LH-0041"), "folded"),
    ("den kiep bac", ("31-0002", "LH-0014"), "folded"),
    ("quan dao cat ba", ("31-0003",), "folded"),
    ("pho hien", ("33-0001",), "folded"),
    ("dinh dinh bang", ("24-0008",), "folded"),
    ("lang khai dinh", ("46-0004",), "folded"),
    ("dinh bao dai", ("68-0005",), "folded"),
    ("ga da lat", ("68-0004",), "folded"),
    ("thap po klong garai", ("56-0002",), "folded"),
    ("nha co huynh thuy le", ("82-0008",), "folded"),
    ("chua vinh trang", ("82-0007",), "folded"),
    ("cu lao cham", ("48-0012",), "folded"),
    ("hai van quan", ("48-0007",), "folded"),
    ("sa huynh", ("51-0004",), "folded"),
    # --- one typo ---
    ("chua mot cto", ("01-0009",), "typo"),
    ("van meiu quoc tu giam", ("01-0002",), "typo"),
    ("vinh ha lonh", ("22-0001",), "typo"),
    ("dia dao cu chii", ("79-0001",), "typo"),
    ("kinh thnah hue", ("46-0001",), "typo"),
    ("phong nah ke bang", ("44-0001",), "typo"),
    ("thap ba ponagr", ("56-0001", "LH-0023"), "typo"),
    ("dinh doc lapp", ("79-0002",), "typo"),
    ("nha tho da phat deim", ("37-0005",), "typo"),
    ("lang tu ducc", ("46-0002",), "typo"),
    ("chau thien mu", ("46-0006", "LH-0044"), "typo"),
    ("hoang thanh thang lnog", ("01-0001",), "typo"),
    # --- part of a name, or what people call it ---
    ("thang long", ("01-0001",), "part"),
    ("quoc tu giam", ("01-0002",), "part"),
    ("ponagar", ("56-0001", "LH-0023"), "part"),
    ("hoa lo", ("01-0015",), "part"),
    ("hien luong ben hai", ("44-0003",), "part"),
    ("ke bang", ("44-0001",), "part"),
    ("giac lam", ("79-0005",), "part"),
    ("nghia trang truong son", ("44-0005",), "part"),
    ("mo vo nguyen giap", ("44-0010",), "part"),
    ("nguyen du", ("42-0001",), "part"),
    ("tu hieu", ("46-0014",), "part"),
    ("pho co hoi an", ("48-0002",), "part"),
    ("chua huong", ("LH-0004", "PVT-0017", "01-0005"), "part"),
    ("tam coc", ("37-0011",), "part"),
    # --- typing in progress ---
    ("chua mot c", ("01-0009",), "typing"),
    ("dinh doc l", ("79-0002",), "typing"),
    ("kinh thanh h", ("46-0001",), "typing"),
    ("van mie", ("01-0002",), "typing"),
    ("dia dao cu c", ("79-0001",), "typing"),
    ("thap ba pona", ("56-0001", "LH-0023"), "typing"),
    # --- two places in one query ---
    ("chua huong ha noi", ("LH-0004", "PVT-0017", "01-0005"), "two places"),
    ("van mieu ha noi", ("01-0002",), "two places"),
    ("den hung phu tho", ("25-0001", "LH-0001"), "two places"),
    ("chua cau hoi an", ("48-0003",), "two places"),
    ("thap cham khanh hoa", ("56-0001", "56-0002", "56-0003", "56-0005"), "two places"),
    ("lang gia long hue", ("46-0005",), "two places"),
    ("nui sam chau doc", ("91-0005", "91-0003"), "two places"),
    ("nha tu phu quoc", ("91-0002",), "two places"),
    ("chua doi soc trang", ("92-0004",), "two places"),
    ("nha tho go kon tum", ("51-0010",), "two places"),
    ("van mieu hue", ("46-0009",), "two places"),
    ("ho hoan kiem den ngoc son", ("01-0003",), "two places"),
    ("yen tu quang ninh", ("22-0002", "LH-0005", "PVT-0018"), "two places"),
    ("trang an ninh binh", ("37-0001",), "two places"),
    ("ho xuan huong da lat", ("68-0007",), "two places"),
    ("dia dao cu chi sai gon", ("79-0001",), "two places"),
    # --- a province before 2025 (or an older name) ---
    ("chua huong ha tay", ("LH-0004", "PVT-0017", "01-0005"), "old province"),
    ("hoi an quang nam", ("48-0002",), "old province"),
    ("my son quang nam", ("48-0001",), "old province"),
    ("thap cham ninh thuan", ("56-0002", "56-0003", "56-0005"), "old province"),
    ("phong nha quang binh", ("44-0001",), "old province"),
    ("chua keo nam dinh", ("37-0012",), "old province"),
    ("phu giay nam dinh", ("37-0006", "LH-0008", "PVT-0020"), "old province"),
    ("ho ba be bac kan", ("19-0002",), "old province"),
    ("cot co lung cu ha giang", ("08-0003",), "old province"),
    ("pho co dong van ha giang", ("08-0007",), "old province"),
    ("chua vinh nghiem bac giang", ("24-0005",), "old province"),
    ("thap nhan phu yen", ("66-0004",), "old province"),
    ("mui dien phu yen", ("66-0006",), "old province"),
    ("thap doi binh dinh", ("52-0004",), "old province"),
    ("vo co truyen binh dinh", ("PVT-0023",), "old province"),
    ("mu cang chai yen bai", ("15-0002",), "old province"),
    ("tay thien vinh phuc", ("25-0003",), "old province"),
    ("kinh thanh hue thua thien hue", ("46-0001",), "old province"),
    ("con dao ba ria vung tau", ("79-0003",), "old province"),
    ("nui ta cu binh thuan", ("68-0010",), "old province"),
    ("nha tu kon tum", ("51-0006",), "old province"),
    ("chua vinh trang tien giang", ("82-0007",), "old province"),
    ("ao ba om tra vinh", ("86-0004",), "old province"),
    ("thap co vinh hung bac lieu", ("96-0003",), "old province"),
    ("lang hoang gia go cong tien giang", ("82-0006",), "old province"),
    ("den tran thai binh", ("33-0002",), "old province"),
    ("chua keo thai binh", ("33-0003", "LH-0020"), "old province"),
    ("den kiep bac hai duong", ("31-0002", "LH-0014"), "old province"),
    ("den con son hai duong", ("31-0001", "LH-0013"), "old province"),
    # --- with diacritics ---
    ("Đền Hùng", ("25-0001", "LH-0001"), "exact"),
    ("Chùa Một Cột", ("01-0009",), "exact"),
    ("Dinh Độc Lập", ("79-0002",), "exact"),
    ("Kinh thành Huế", ("46-0001",), "exact"),
    ("Hội An", ("48-0002",), "exact"),
    ("Mỹ Sơn", ("48-0001",), "exact"),
    ("Hạ Long", ("22-0001",), "exact"),
    ("Tràng An", ("37-0001",), "exact"),
    # --- English ---
    ("temple of literature", ("01-0002",), "english"),
    ("one pillar pagoda", ("01-0009",), "english"),
    ("ha long bay", ("22-0001",), "english"),
    ("perfume pagoda", ("01-0005", "LH-0004", "PVT-0017"), "english"),
    ("hoa lo prison", ("01-0015",), "english"),
    ("cu chi tunnels", ("79-0001",), "english"),
]


def record_codes() -> dict[tuple[str, str], str]:
    """{(search kind, object id): record code} for every heritage record."""
    from vhttdl.heritage.models import Festival, IntangibleHeritage, Site

    return {(model.SEARCH_KIND, str(pk)): code
            for model in (Site, IntangibleHeritage, Festival)
            for pk, code in model.objects.values_list("pk", "code")}


def evaluate(queries=QUERIES, *, depth: int = 5) -> dict:
    """Run every query as a visitor (public documents), return where its record came.

    {"n", "top1", "top5" (counts), "by_kind": {kind: [n, top1, top5]}, "misses": [(q, codes
    found in the top `depth`)]}.
    """
    from vhttdl.core.search.selectors import search

    codes = record_codes()
    out: dict = {"n": 0, "top1": 0, "top5": 0, "by_kind": {}, "misses": []}
    for q, expected, kind in queries:
        hits = search(actor=None, q=q, kinds=["heritage.site", "heritage.festival", "heritage.intangible"],
                      limit=depth).hits
        found = [codes.get((h.kind, h.object_id), "?") for h in hits]
        first = bool(found) and found[0] in expected
        top = any(code in expected for code in found)
        counts = out["by_kind"].setdefault(kind, [0, 0, 0])
        for i, value in enumerate((True, first, top)):
            counts[i] += int(value)
        out["n"] += 1
        out["top1"] += int(first)
        out["top5"] += int(top)
        if not top:
            out["misses"].append((q, found))
    return out
