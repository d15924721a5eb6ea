"""Benchmark: the platform search at national scale (issue 4, item 7: p95 ≤ 50 ms at 200,000 documents).

    .venv/bin/python bench/search_bench.py [--database-url URL] [--docs 200000] [--queries 500]

Standalone it creates a fresh database with Django's test machinery (a file for SQLite, a
`test_…` database for PostgreSQL), migrates it, runs the benchmark and drops it. `bench/heritage.py`
calls `run_search_benchmark(n_docs, n_queries)` inside its own fresh database.

The documents are generated Vietnamese text with diacritics (relics, festivals and intangible
heritage named from a list of real syllables, in all 34 provinces), indexed with
`index_documents_bulk`. The queries are a mix drawn from the generated titles: folded (typed
without diacritics), exact (with diacritics), one typo, a prefix (typing in progress), broad
single words that match tens of thousands of documents, and queries filtered by kind or province.
Every query goes through `vhttdl.core.search.selectors.search`, as the API does.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

BENCH_KIND_PREFIX = "bench."

SYLLABLES = (
    "Hùng Một Cột Trần Hưng Đạo Lê Lợi Quang Trung Bà Chúa Kho Hương Tích Sơn Ngọc Linh Phúc Thiên Mụ Bút "
    "Tháp Keo Dâu Thầy Tây Phương Bái Đính Yên Tử Côn Kiếp Bạc Hoa Lư Đinh Tiên Hoàng Lý Thái Tổ Thánh Gióng "
    "Sóc Đồng Cổ Loa An Dương Vương Mỵ Châu Trọng Thủy Hai Bà Ngô Quyền Bạch Đằng Chi Lăng Xương Giang "
    "Lam Kinh Nguyễn Trãi Huệ Gia Long Minh Mạng Tự Đức Khải Định Bảo Đại Thuận Hóa Phú Xuân Hội An Mỹ "
    "Ponagar Nhạn Bánh Ít Dương Long Cánh Tiên Văn Miếu Quốc Tử Giám Trấn Quốc Quán Thánh Kim Liên Voi "
    "Phục Bạch Mã Láng Hà Khâu Đông Nam Bắc Thượng Hạ Trà Cổ Lạc Xuân Thu Hòa Bình Vĩnh Nghiêm Tràng An "
    "Hương Sơn Mẫu Liễu Hạnh Phủ Giầy Tây Hồ Bà Đen Núi Sam Chúa Xứ Ông Lăng Cá Ông Nghinh Tam Thanh "
    "Ba Vì Tản Viên Chử Đồng Tử Tiên Dung Linh Lang Bảo Hà Đức Thánh Trần Kiếp Bạc Hiền Lương Hàm Rồng "
    "Đền Chùa Đình Nghè Điện Biên Phủ Mường Thanh Pác Bó Tân Trào Kim Bôi Mai Châu Sa Pa Đồng Văn Lũng Cú "
    "Mã Pí Lèng Bản Giốc Ba Bể Na Hang Côn Sơn Yên Bái Tuyên Quang Khánh Ninh Thuận Phước Lộc Thọ"
).split()

TYPES = [
    ("heritage.site", ["Đền", "Chùa", "Đình", "Miếu", "Phủ", "Lăng", "Nhà thờ", "Thành cổ", "Tháp", "Khu di tích",
                       "Di chỉ", "Hang", "Động", "Danh thắng", "Cầu cổ", "Nhà cổ", "Văn chỉ", "Nghè"]),
    ("heritage.festival", ["Lễ hội", "Hội", "Lễ rước", "Hội làng", "Lễ cầu ngư"]),
    ("heritage.intangible", ["Nghệ thuật hát", "Nghề", "Tín ngưỡng thờ", "Múa", "Tri thức dân gian về",
                             "Tập quán xã hội", "Nghề truyền thống"]),
]

PROVINCES = [
    ("01", "Hà Nội"), ("04", "Cao Bằng"), ("08", "Tuyên Quang"), ("11", "Điện Biên"), ("12", "Lai Châu"),
    ("14", "Sơn La"), ("15", "Lào Cai"), ("19", "Thái Nguyên"), ("20", "Lạng Sơn"), ("22", "Quảng Ninh"),
    ("24", "Bắc Ninh"), ("25", "Phú Thọ"), ("31", "Hải Phòng"), ("33", "Hưng Yên"), ("37", "Ninh Bình"),
    ("38", "Thanh Hóa"), ("40", "Nghệ An"), ("42", "Hà Tĩnh"), ("44", "Quảng Trị"), ("46", "Huế"),
    ("48", "Đà Nẵng"), ("51", "Quảng Ngãi"), ("52", "Gia Lai"), ("56", "Khánh Hòa"), ("66", "Đắk Lắk"),
    ("68", "Lâm Đồng"), ("75", "Đồng Nai"), ("79", "Hồ Chí Minh"), ("80", "Tây Ninh"), ("82", "Đồng Tháp"),
    ("86", "Vĩnh Long"), ("91", "An Giang"), ("92", "Cần Thơ"), ("96", "Cà Mau"),
]

SENTENCES = [
    "Di tích được xếp hạng cấp {rank} năm {year}.",
    "Công trình thờ {name}, được xây dựng vào thời {dynasty} và trùng tu nhiều lần.",
    "Lễ hội diễn ra vào ngày {day} tháng {month} âm lịch hằng năm, thu hút đông đảo du khách.",
    "Nằm ở xã {place}, tỉnh {province}, cách trung tâm khoảng {km} km.",
    "Kiến trúc gồm tam quan, sân, nhà tiền tế và hậu cung, mái lợp ngói mũi hài.",
    "Hiện còn lưu giữ nhiều hiện vật quý: sắc phong, bia đá, chuông đồng và tượng gỗ.",
    "Năm {year}, Ủy ban nhân dân tỉnh {province} đã phê duyệt quy hoạch bảo tồn và phát huy giá trị.",
    "Người dân địa phương gìn giữ nghi lễ rước kiệu, tế lễ và các trò chơi dân gian.",
    "Theo truyền thuyết, {name} đã có công giúp dân khai hoang lập ấp, đánh giặc giữ nước.",
    "Khu vực bảo vệ I rộng {km} ha, khu vực bảo vệ II bao quanh chân núi.",
]
RANKS = ["tỉnh", "quốc gia", "quốc gia đặc biệt"]
DYNASTIES = ["Lý", "Trần", "Hậu Lê", "Mạc", "Tây Sơn", "Nguyễn"]


def _name(rng: random.Random) -> str:
    return " ".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 2, 3))))


def generate(n_docs: int, seed: int = 2026) -> Iterator[dict]:
    """`n_docs` index_document kwargs with realistic Vietnamese titles and bodies."""
    rng = random.Random(seed)
    for i in range(n_docs):
        kind, words = TYPES[0] if rng.random() < 0.6 else rng.choice(TYPES[1:])
        code, province = rng.choice(PROVINCES)
        name = _name(rng)
        title = f"{rng.choice(words)} {name}"
        values = {"rank": rng.choice(RANKS), "year": rng.randint(1962, 2025), "name": _name(rng),
                  "dynasty": rng.choice(DYNASTIES), "day": rng.randint(1, 30), "month": rng.randint(1, 12),
                  "place": _name(rng), "province": province, "km": rng.randint(2, 90)}
        body = " ".join(rng.choice(SENTENCES).format(**values) for _ in range(rng.randint(3, 7)))
        yield {
            "kind": BENCH_KIND_PREFIX + kind.split(".", 1)[1], "object_id": str(i), "title": title,
            "body": body, "province_code": code, "url": f"/bench/{i}/", "public": rng.random() < 0.9,
        }


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def queries(n_queries: int, titles: list[str], seed: int = 7) -> list[tuple[str, dict]]:
    """(category, search kwargs) for the query mix."""
    from vhttdl.core.text import fold

    rng = random.Random(seed)
    mix = [("folded", 25), ("exact", 20), ("typo", 15), ("prefix", 20), ("broad", 10), ("filtered", 10)]
    categories = [c for c, weight in mix for _ in range(weight)]
    broad = ["den", "chua", "le hoi", "ha", "dinh", "thanh", "hung", "nghe", "xa", "tinh"]
    out = []
    for _ in range(n_queries):
        category = rng.choice(categories)
        title = rng.choice(titles)
        folded = fold(title)
        if category == "folded":
            kwargs = {"q": folded}
        elif category == "exact":
            kwargs = {"q": title}
        elif category == "typo":
            words = folded.split()
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
            kwargs = {"q": " ".join(words)}
        elif category == "prefix":
            cut = rng.randint(max(2, len(folded) // 2), max(2, len(folded) - 1))
            kwargs = {"q": folded[:cut].rstrip()}
        elif category == "broad":
            kwargs = {"q": rng.choice(broad)}
        else:
            kind = rng.choice(["bench.site", "bench.festival", "bench.intangible"])
            kwargs = {"q": " ".join(folded.split()[1:]) or folded, "kinds": [kind],
                      "province_code": rng.choice(PROVINCES)[0] if rng.random() < 0.5 else None}
        out.append((category, kwargs))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def run_search_benchmark(n_docs: int, n_queries: int, *, seed: int = 2026, keep: bool = False) -> dict:
    """Index `n_docs` generated documents, run `n_queries` searches; return timings in ms.

    Needs Django set up on a scratch database. Only documents of the `bench.*` kinds are written
    and (unless `keep`) removed at the end.
    """
    from django.db import connection

    from vhttdl.core.search.models import SearchDocument
    from vhttdl.core.search.selectors import search
    from vhttdl.core.search.services import index_documents_bulk, optimize_index

    SearchDocument.objects.filter(kind__startswith=BENCH_KIND_PREFIX).delete()
    titles: list[str] = []
    sample_every = max(1, n_docs // 5000)

    def documents() -> Iterator[dict]:
        for i, doc in enumerate(generate(n_docs, seed)):
            if i % sample_every == 0 and doc["public"]:
                titles.append(doc["title"])
            yield doc

    started = time.perf_counter()
    indexed = 0
    batch: list[dict] = []
    for doc in documents():
        batch.append(doc)
        if len(batch) == 20_000:
            indexed += index_documents_bulk(batch)
            batch = []
    if batch:
        indexed += index_documents_bulk(batch)
    index_seconds = time.perf_counter() - started
    optimize_index()  # what `search_reindex` does after a rebuild
    optimize_seconds = time.perf_counter() - started - index_seconds

    mix = queries(n_queries, titles, seed)
    for _, kwargs in mix[: min(20, len(mix))]:  # warm the caches
        search(actor=None, **kwargs)
    timings: dict[str, list[float]] = {}
    hits: list[int] = []
    found = 0
    for category, kwargs in mix:
        t0 = time.perf_counter()
        results = search(actor=None, **kwargs)
        timings.setdefault(category, []).append((time.perf_counter() - t0) * 1000)
        hits.append(results.total)
        found += bool(results.total)
    every = [t for values in timings.values() for t in values]
    result = {
        "vendor": connection.vendor, "n_docs": indexed, "n_queries": len(every),
        "index_seconds": round(index_seconds, 2), "index_docs_per_s": round(indexed / index_seconds),
        "optimize_seconds": round(optimize_seconds, 2),
        "p50_ms": round(percentile(every, 50), 2), "p95_ms": round(percentile(every, 95), 2),
        "p99_ms": round(percentile(every, 99), 2), "max_ms": round(max(every), 2),
        "queries_with_hits": f"{found}/{len(every)}", "median_total_hits": int(percentile(hits, 50)),
        "by_category": {
            c: {"n": len(v), "p50_ms": round(percentile(v, 50), 2), "p95_ms": round(percentile(v, 95), 2)}
            for c, v in sorted(timings.items())
        },
    }
    if not keep:
        SearchDocument.objects.filter(kind__startswith=BENCH_KIND_PREFIX).delete()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="PostgreSQL URL (a test_… database is created next to it); default SQLite")
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vhttdl.config.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        test_file = Path("/tmp") / f"vhttdl-search-bench-{os.getpid()}.sqlite3"
        connection.settings_dict["TEST"]["NAME"] = str(test_file)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        result = run_search_benchmark(args.docs, args.queries, seed=args.seed, keep=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    by_category = result.pop("by_category")
    for key, value in result.items():
        print(f"{key:>20}: {value}")
    for category, figures in by_category.items():
        print(f"{category:>20}: n={figures['n']} p50={figures['p50_ms']} ms p95={figures['p95_ms']} ms")


if __name__ == "__main__":
    main()
