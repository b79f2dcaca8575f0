"""How much of the masking corpora gets through, and what cleaning and masking cost per text.

    python bench/masking.py                  # every corpus file in tests/fixtures/masking/
    python bench/masking.py FILE...          # these files only
    python bench/masking.py --misses         # also list what leaks or changes (never for a
                                             # held-out file: its texts stay unseen)

Per file: for an evasion corpus, how many texts still leak their secret after ``clean`` and
``mask`` (the leak predicate is tests/support/masking_corpus.py); for an untouched corpus, how
many come out other than as cleaned. Then the time of ``clean`` + ``mask`` per text, over the
corpora and over a 1,000-character comment (the longest a free text may be).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.questionnaire.cleaning import clean
from bot.questionnaire.masking import mask
from tests.support.masking_corpus import corpus_files, entries, leaks

MARK = "[წაშლილია]"
LONG = ("შეშა ძვირია, 300 ლარი არ კმარა, 2024 წელს 3 თვე გზა იკეტებოდა 10:00-დან. " * 20)[:1000]


def figures(path: Path, misses: bool) -> list[str]:
    found = entries(path)
    bad = []
    for entry in found:
        text, count = mask(clean(entry["text"]), MARK)
        if "secret" in entry:
            if leaks(text, entry["secret"]):
                bad.append(text)
        elif (text, count) != (clean(entry["text"]), 0):
            bad.append(text)
    what = "leaked" if "evasion" in path.name else "changed"
    lines = [f"{path.name}: {len(bad)} of {len(found)} {what}"]
    if misses and "holdout" not in path.name:
        lines += [f"    {text!r}" for text in bad]
    return lines


def per_text(texts: list[str], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            mask(clean(text), MARK)
    return (time.perf_counter() - start) / (rounds * len(texts)) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true")
    options = parser.parse_args()
    files = options.files or corpus_files("evasion") + corpus_files("untouched")
    texts = []
    for path in files:
        print("\n".join(figures(path, options.misses)))
        texts += [entry["text"] for entry in entries(path)]
    print(f"clean + mask: {per_text(texts, 20):.0f} µs per text over the corpora")
    print(f"clean + mask: {per_text([LONG], 200):.0f} µs per text of 1,000 characters")


if __name__ == "__main__":
    main()
