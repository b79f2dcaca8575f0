"""Build the categorisers' linear models (issue 31): reporting/data/categories_model.json.gz
(suggestions, question 10) and categories_needs_model.json.gz (extra needs, question 9ა).

    python tools/train_categories.py          # train on the development sets, write both
    python tools/train_categories.py --cv     # first, figures by left-out writer (no writing)

Needs scikit-learn (``pip install -e .[bench]``) here only: the bot scores the exported
weights with numpy. Trained on development comments only (tests/fixtures/categories/README.md):
the training writers (``training/``, labelled by two labellers and a third), writers A and C,
and for suggestions the project's own sets (bench/data/comments_dev.yaml,
tests/fixtures/comments.yaml), for needs writer D's. Never on writer B (the suggestions'
frozen test part), never on the extra needs of writers A, B and C (the needs' frozen test
set), nor on bench/data/comments_heldout.yaml. The same sets give the same files.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reporting.categories import (  # noqa: E402
    OTHER,
    SATISFIED,
    Categoriser,
    load_categoriser,
    needs_rules_path,
)
from reporting.categories_model import (  # noqa: E402
    MODEL_PATH,
    NEEDS_MODEL_PATH,
    LinearModel,
    decide,
    grams,
    save_model,
)

SETS = ROOT / "tests" / "fixtures" / "categories"
DEVELOPMENT_WRITERS = ("writer_a", "writer_c")  # writer_b is the frozen test part: never here
MIN_COMMENTS = 2  # a piece is a feature when this many training comments hold it
MIN_SET = 3  # a set of several categories is one the model gives when seen this often
STRENGTH = 30.0  # scikit-learn's C: how little the weights are held back
THRESHOLD = 0.4  # a correction is taught until each of its categories is this likely
SMALLEST = 0.05  # weights nearer zero than this are dropped (the file stays small)
MARKED = 0.24  # the share of unseen writers' comments the needs-a-look cut marks (at most 1 in 4)
FOLDS = 5  # groups of writers left out in turn to place that cut

Row = tuple[str, tuple[str, ...], str]  # text, categories, its writer


def _written(writer_file: Path, labels: dict[str, list[str]], question: str) -> list[Row]:
    return [
        (entry["text"], tuple(labels[entry["id"]]), writer_file.stem)
        for entry in yaml.safe_load(writer_file.read_text("utf-8"))
        if entry["question"] == question and entry["id"] in labels
    ]


def _training_writers(question: str) -> list[Row]:
    rows: list[Row] = []
    for path in sorted((SETS / "training" / "written").glob("writer_*.yaml")):
        settled = SETS / "training" / "labels" / f"{path.stem}_settled.yaml"
        if not settled.exists():
            raise SystemExit(f"{settled.relative_to(ROOT)}: missing (settle the labels first)")
        rows += _written(path, yaml.safe_load(settled.read_text("utf-8")), question)
    return rows


def development() -> list[Row]:
    """The suggestions (question 10) the model learns from."""
    rows: list[Row] = []
    for path in (ROOT / "bench/data/comments_dev.yaml", ROOT / "tests/fixtures/comments.yaml"):
        for item in yaml.safe_load(path.read_text("utf-8")):
            rows.append((item["text"], tuple(item["categories"]), "project"))
    gold = yaml.safe_load((SETS / "labels" / "settled.yaml").read_text("utf-8"))
    for writer in DEVELOPMENT_WRITERS:
        rows += _written(SETS / "written" / f"{writer}.yaml", gold, "q10")
    return rows + _training_writers("q10")


def development_needs() -> list[Row]:
    """The extra needs (question 9ა) the needs' model learns from."""
    labels = yaml.safe_load(
        (SETS / "labels" / "writer_d_needs_by_writer.yaml").read_text(encoding="utf-8")
    )
    return _written(SETS / "written" / "writer_d_needs.yaml", labels, "q9a") + _training_writers(
        "q9a"
    )


def features(categoriser: Categoriser, text: str) -> tuple[list[str], int]:
    """(the comment's pieces, how surely it complains: 0, 1 or 2, as the rules hear it)."""
    folded, _, mood = categoriser.by_rules(text)
    return grams(folded), mood[1]


def fit(
    categoriser: Categoriser, rows: Sequence[Row], strength: float = STRENGTH, look: float = 0.5
) -> LinearModel:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    codes = tuple(categoriser.labels)
    seen = [features(categoriser, text)[0] for text, _, _ in rows]
    counts = Counter(p for pieces in seen for p in pieces)
    names = sorted(p for p, n in counts.items() if n >= MIN_COMMENTS)
    index = {name: i for i, name in enumerate(names)}
    total = len(rows)
    idf = np.array([math.log((1 + total) / (1 + counts[n])) + 1 for n in names])
    empty = np.zeros((len(names), len(codes)))
    draft = LinearModel(codes, index, idf, empty, np.zeros(len(codes)), THRESHOLD)
    data: list[float] = []
    cols: list[int] = []
    starts = [0]
    for pieces in seen:
        cell, value = draft.vector(pieces).arrays()
        cols.extend(cell.tolist())
        data.extend(value.tolist())
        starts.append(len(cols))
    x = csr_matrix((data, cols, starts), shape=(total, len(names)))
    weights = np.zeros((len(names), len(codes)))
    bias = np.zeros(len(codes))
    for j, code in enumerate(codes):
        y = np.array([code in labels for _, labels, _ in rows], dtype=int)
        if y.min() == y.max():
            bias[j] = 8.0 if y[0] else -8.0
            continue
        model = LogisticRegression(C=strength, solver="liblinear", max_iter=1000)
        model.fit(x, y)
        weights[:, j] = model.coef_[0]
        bias[j] = model.intercept_[0]
    weights[np.abs(weights) < SMALLEST] = 0.0
    used = np.abs(weights).sum(1) > 0
    keep = [i for i in range(len(names)) if used[i]]
    kept = {names[i]: n for n, i in enumerate(keep)}
    together = Counter(tuple(c for c in codes if c in labels) for _, labels, _ in rows)
    sets = tuple(sorted(s for s, n in together.items() if len(s) > 1 and n >= MIN_SET))
    return LinearModel(
        codes, kept, idf[keep], np.round(weights[keep], 4), np.round(bias, 5), THRESHOLD,
        sets, look,
    )  # fmt: skip


def predict(
    categoriser: Categoriser, model: LinearModel, text: str
) -> tuple[tuple[str, ...], float]:
    pieces, complains = features(categoriser, text)
    chances = model.probabilities(model.vector(pieces))
    return decide(model, chances, complains, OTHER, SATISFIED)


def left_out(categoriser: Categoriser, rows: Sequence[Row]) -> list[tuple[bool, float, str]]:
    """(right, how sure, writer) of every writer's comment, by a model trained without the
    writers of its fold (the project's own comments are always trained on)."""
    writers = sorted({w for *_, w in rows if w != "project"})
    found = []
    for fold in range(FOLDS):
        out = set(writers[fold::FOLDS])
        model = fit(categoriser, [r for r in rows if r[2] not in out])
        for text, gold, writer in rows:
            if writer in out:
                codes, sure = predict(categoriser, model, text)
                found.append((set(codes) == set(gold), sure, writer))
    return found


def look_cut(found: Sequence[tuple[bool, float, str]]) -> float:
    """The share below which ``MARKED`` of the left-out comments fall."""
    return float(np.quantile([sure for _, sure, _ in found], MARKED))


def report(found: Sequence[tuple[bool, float, str]], cut: float) -> None:
    by_writer: dict[str, list[bool]] = {}
    for right, _, writer in found:
        by_writer.setdefault(writer, []).append(right)
    for writer, marks in sorted(by_writer.items()):
        print(f"  {writer}: {sum(marks) / len(marks):.3f} ({len(marks)})")
    misses = [sure for right, sure, _ in found if not right]
    right = sum(r for r, _, _ in found) / len(found)
    caught = sum(s < cut for s in misses) / max(1, len(misses))
    print(f"  all {right:.3f}; look below {cut:.3f}: {caught:.2f} of the misses marked")


def build(categoriser: Categoriser, rows: Sequence[Row], path: Path, only_cv: bool) -> None:
    found = left_out(categoriser, rows)
    cut = look_cut(found)
    print(f"{path.name}: {len(rows)} comments, each writer by a model trained without it")
    report(found, cut)
    if only_cv:
        return
    model = fit(categoriser, rows, look=cut)
    save_model(path, model)
    size = path.stat().st_size
    print(f"{path.relative_to(ROOT)}: {len(model.features)} features, {size:,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="figures by left-out writer only")
    arguments = parser.parse_args()
    build(load_categoriser(model=False), development(), MODEL_PATH, arguments.cv)
    needs = load_categoriser(needs_rules_path(), model=False, needs=False)
    build(needs, development_needs(), NEEDS_MODEL_PATH, arguments.cv)


if __name__ == "__main__":
    main()
