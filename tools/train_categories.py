"""Build reporting/data/categories_model.json: the categoriser's linear model (issue 31).

    python tools/train_categories.py          # train on the development sets, write the model
    python tools/train_categories.py --cv     # first, figures by left-out writer (no writing)

Needs scikit-learn (``pip install -e .[bench]``) here only: the bot scores the exported
weights with numpy. Trained on the development comments only: bench/data/comments_dev.yaml,
tests/fixtures/comments.yaml, and writers A and C of tests/fixtures/categories/. Never on
writer B (the frozen test part) nor on bench/data/comments_heldout.yaml (held out). The
result is deterministic: the same sets give the same file.
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

from reporting.categories import OTHER, SATISFIED, Categoriser, load_categoriser  # noqa: E402
from reporting.categories_model import (  # noqa: E402
    MODEL_PATH,
    LinearModel,
    decide,
    grams,
    save_model,
)

SETS = ROOT / "tests" / "fixtures" / "categories"
DEVELOPMENT_WRITERS = ("writer_a", "writer_c")  # writer_b is the frozen test part: never here
MIN_COMMENTS = 2  # a piece is a feature when this many training comments hold it
STRENGTH = 30.0  # scikit-learn's C: how little the weights are held back
THRESHOLD = 0.4
SMALLEST = 0.02  # weights nearer zero than this are dropped (the file stays small)

Row = tuple[str, tuple[str, ...], str]  # text, categories, its source


def development() -> list[Row]:
    rows: list[Row] = []
    for path in (
        ROOT / "bench" / "data" / "comments_dev.yaml",
        ROOT / "tests/fixtures/comments.yaml",
    ):
        for item in yaml.safe_load(path.read_text("utf-8")):
            rows.append((item["text"], tuple(item["categories"]), "project"))
    gold = yaml.safe_load((SETS / "labels" / "settled.yaml").read_text("utf-8"))
    for writer in DEVELOPMENT_WRITERS:
        for entry in yaml.safe_load((SETS / "written" / f"{writer}.yaml").read_text("utf-8")):
            if entry["question"] == "q10":
                rows.append((entry["text"], tuple(gold[entry["id"]]), writer))
    return rows


def features(categoriser: Categoriser, text: str) -> tuple[list[str], bool]:
    """(the comment's pieces, whether it complains)."""
    folded, _, mood = categoriser.by_rules(text)
    return grams(folded), mood[1]


def fit(categoriser: Categoriser, rows: Sequence[Row], strength: float = STRENGTH) -> LinearModel:
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
    return LinearModel(
        codes, kept, idf[keep], np.round(weights[keep], 4), np.round(bias, 5), THRESHOLD
    )


def predict(
    categoriser: Categoriser, model: LinearModel, text: str
) -> tuple[tuple[str, ...], float]:
    pieces, complains = features(categoriser, text)
    chances = model.probabilities(model.vector(pieces))
    return decide(model, chances, complains, OTHER, SATISFIED)


def cross_validate(categoriser: Categoriser, rows: Sequence[Row]) -> None:
    """Each writer left out in turn: the model trained on the rest, scored on that writer."""
    for strength in (1.0, 3.0, 10.0, 30.0):
        for source in DEVELOPMENT_WRITERS:
            train = [r for r in rows if r[2] != source]
            test = [r for r in rows if r[2] == source]
            model = fit(categoriser, train, strength)
            for threshold in (0.3, 0.4, 0.5):
                model = LinearModel(
                    model.codes, model.features, model.idf, model.weights, model.bias, threshold
                )
                right = [set(predict(categoriser, model, t)[0]) == set(g) for t, g, _ in test]
                rules = [set(categoriser.by_rules(t)[1].categories) == set(g) for t, g, _ in test]
                print(
                    f"C={strength:4} threshold {threshold}: {source} {sum(right) / len(test):.3f}"
                    f" (rules alone {sum(rules) / len(test):.3f})"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="figures by left-out writer only")
    arguments = parser.parse_args()
    categoriser = load_categoriser(model=False)
    rows = development()
    if arguments.cv:
        cross_validate(categoriser, rows)
        return
    model = fit(categoriser, rows)
    save_model(MODEL_PATH, model)
    size = MODEL_PATH.stat().st_size
    print(f"{MODEL_PATH.relative_to(ROOT)}: {len(model.features)} features, {size:,} bytes")


if __name__ == "__main__":
    main()
