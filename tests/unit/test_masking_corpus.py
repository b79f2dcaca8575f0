"""Personal details written to slip past the masking are caught; ordinary texts are untouched.

Every file in tests/fixtures/masking/ whose name holds ``evasion`` or ``untouched`` is read,
the held-out ones too (their texts were never looked at while the masker was written). An
evasion text passes when, after ``clean`` and ``mask`` (what a typed comment goes through
before it is stored), its secret does not leak. "Leaks" is defined in
tests/support/masking_corpus.py apart from the masker's own reading of numbers: any 7
consecutive digits of a number's secret in a digit projection of the stored text (digits of
every script, Georgian, Latin-script Georgian, English and Russian number words, look-alike
letters, forwards and backwards), or an e-mail's local part or domain surviving as letters and
digits. An untouched text passes when it comes out exactly as cleaned, with no replacement.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.questionnaire.cleaning import clean
from bot.questionnaire.masking import mask
from tests.support.masking_corpus import corpus_files, entries, leaks

MARK = "[წაშლილია]"
ROOT = Path(__file__).resolve().parents[2]


def cases(kind: str) -> list:
    found = []
    for path in corpus_files(kind):
        for index, entry in enumerate(entries(path)):
            found.append(pytest.param(entry, id=f"{path.stem}-{index}"))
    return found


def stored(text: str) -> tuple[str, int]:
    return mask(clean(text), MARK)


def test_there_are_corpora_of_both_kinds_large_enough():
    for kind in ("evasion", "untouched"):
        files = corpus_files(kind)
        assert files and all(
            len(entries(path)) >= 100 for path in files if "holdout" not in path.name
        )


@pytest.mark.parametrize("entry", cases("evasion"))
def test_an_evasion_leaks_nothing(entry):
    assert leaks(clean(entry["text"]), entry["secret"]), "the predicate sees the secret unmasked"
    text, count = stored(entry["text"])
    assert count >= 1 and not leaks(text, entry["secret"]), text


@pytest.mark.parametrize("entry", cases("untouched"))
def test_an_ordinary_text_is_stored_as_cleaned(entry):
    cleaned = clean(entry["text"])
    assert stored(entry["text"]) == (cleaned, 0)


def test_the_bench_prints_the_masking_figures_per_corpus_file():
    files = [str(p) for p in corpus_files("evasion") + corpus_files("untouched")]
    files = [f for f in files if "holdout" not in Path(f).name]
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "masking.py"), *files],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert "evasion.yaml: 0 of " in result.stdout and " leaked" in result.stdout
    assert "untouched.yaml: 0 of " in result.stdout and " changed" in result.stdout
    assert "µs per text" in result.stdout
