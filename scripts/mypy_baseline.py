"""mypy over src/ with a baseline that only shrinks.

    python scripts/mypy_baseline.py check   # CI: fail on any new error, and on baseline lines now fixed
    python scripts/mypy_baseline.py sync    # after fixing errors: rewrite the baseline (it may only shrink)

`core/` and every app not listed in LEGACY must have no error at all. Errors of the legacy apps are
kept in mypy-baseline.txt without line numbers (so unrelated edits do not move them), one line each.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
# Apps written before type checking ran in CI; everything else is held to zero errors.
LEGACY = ("src/vhttdl/reporting/", "src/vhttdl/heritage/", "src/vhttdl/demo/", "src/vhttdl/config/")
ERROR = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): error: (?P<message>.*)$")


def run_mypy() -> list[str]:
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-color-output", "--no-error-summary"],
                            cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"mypy failed to run:\n{result.stdout}\n{result.stderr}")
    return [line for line in result.stdout.splitlines() if ERROR.match(line)]


def normalised(line: str) -> str:
    match = ERROR.match(line)
    return f"{match['path']}: {match['message']}"


def read_baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    return Counter(line for line in BASELINE.read_text("utf-8").splitlines() if line.strip())


def main(command: str) -> int:
    errors = run_mypy()
    strict = [line for line in errors if not line.startswith(LEGACY)]
    legacy = Counter(normalised(line) for line in errors if line.startswith(LEGACY))
    baseline = read_baseline()
    if command == "sync":
        grown = legacy - baseline
        if grown and BASELINE.exists():
            print("the baseline may only shrink; new errors:", *sorted(grown), sep="\n  ")
            return 1
        BASELINE.write_text("".join(f"{line}\n" for line in sorted(legacy.elements())), "utf-8")
        print(f"mypy-baseline.txt: {sum(legacy.values())} errors in the legacy apps")
        return 1 if strict else 0
    new = legacy - baseline
    fixed = baseline - legacy
    for line in strict:
        print(line)
    for line in sorted(new.elements()):
        print("new:", line)
    for line in sorted(fixed.elements()):
        print("fixed (remove it from the baseline: scripts/mypy_baseline.py sync):", line)
    if strict or new or fixed:
        print(f"mypy: {len(strict)} errors in core and new apps, {sum(new.values())} new and "
              f"{sum(fixed.values())} fixed in the legacy apps")
        return 1
    print(f"mypy: core and new apps clean; legacy apps at the baseline ({sum(legacy.values())} errors)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "check"))
