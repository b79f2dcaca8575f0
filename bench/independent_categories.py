"""The categoriser on comments written and labelled independently of it (issue 31).

    python bench/independent_categories.py

Scores the suggestions of tests/fixtures/categories/ (see its README): exact-set
agreement on the frozen test part (writer_b: score once per change, never tune on it) and
on the development part (writer_a, writer_c), per script and per persona, and how many of
the misses carry the needs-a-look mark.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reporting.categories import load_categoriser  # noqa: E402

SETS = ROOT / "tests" / "fixtures" / "categories"
PART = {"writer_a": "development", "writer_b": "test", "writer_c": "development"}


def script(text: str) -> str:
    counts = {
        "georgian": len(re.findall(r"[\u10a0-\u10ff]", text)),
        "latin": len(re.findall(r"[A-Za-z]", text)),
        "cyrillic": len(re.findall(r"[\u0400-\u04ff]", text)),
    }
    return max(counts, key=counts.__getitem__)


def main() -> None:
    gold = yaml.safe_load((SETS / "labels" / "settled.yaml").read_text(encoding="utf-8"))
    categoriser = load_categoriser()
    scores: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    marks: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for path in sorted((SETS / "written").glob("writer_*.yaml")):
        part = PART[path.stem]
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            if entry["question"] != "q10":
                continue
            verdict = categoriser.assess(entry["text"])
            right = set(verdict.categories) == set(gold[entry["id"]])
            for key in (part, f"{part} {script(entry['text'])}", f"{part} {entry['persona']}"):
                scores[key][0] += right
                scores[key][1] += 1
            marks[part][0] += (not right) and verdict.needs_look
            marks[part][1] += not right
            marks[part][2] += verdict.needs_look
    for key, (right, total) in sorted(scores.items()):
        print(f"{key:32s} {right:4d} / {total:4d}  {right / total:.3f}")
    for part, (caught, misses, marked) in sorted(marks.items()):
        print(f"{part}: {caught} of {misses} misses marked; {marked} marked in all")


if __name__ == "__main__":
    main()
