"""How well suggestions are sorted, against comments labelled by hand, and how fast.

    python bench/categories.py            # every figure; the model candidates need scikit-learn
    python bench/categories.py --misses   # also list the development comments it gets wrong

Sets (bench/data/): ``comments_dev.yaml`` (the rules were tuned on it, with
tests/fixtures/comments.yaml) and ``comments_heldout.yaml`` (never tuned on; its mistakes are
never printed). Candidates compared:

- ``before``: the stem rules as they were before normalisation (categories_before.ka.yaml);
- ``rules``: the stem rules alone: normalisation, stem rules with typos, negation;
- ``shipped``: the shipped categoriser: its linear model decides (reporting/categories_model.py,
  trained by tools/train_categories.py on dev + fixtures + the independent training and
  development writers: its dev figure would mean nothing, so only the held-out one is
  printed), the rules say whether a comment complains;
- ``model``: character n-grams and a linear model (scikit-learn), trained on dev + fixtures;
- ``rules+model``: the rules, and the model's labels where the rules found nothing;
- ``rules+examples``: the rules following the dev + fixture comments as if analysts had
  corrected them all (nearest neighbours, as for real corrections).

Then: after 20 analyst corrections of one kind of comment the rules do not know
(comments_kind.yaml), how the other 20 of that kind are sorted, and the held-out figure with
those corrections loaded; and the time to categorise 100,000 distinct comments.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reporting.categories import OTHER, SATISFIED, Categoriser, load_categoriser

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "comments.yaml"
LATIN = re.compile(r"[A-Za-z]")

Labelled = list[tuple[str, tuple[str, ...]]]
Sorter = Callable[[str], tuple[str, ...]]


def load(path: Path) -> Labelled:
    return [(item["text"], tuple(item["categories"])) for item in yaml.safe_load(path.read_text())]


def is_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(LATIN.match(c)) for c in letters) > len(letters) / 2


def agreement(sort: Sorter, data: Labelled) -> float:
    return sum(set(sort(t)) == set(g) for t, g in data) / len(data) if data else float("nan")


def per_category(sort: Sorter, data: Labelled, codes: Sequence[str]) -> list[str]:
    predicted = [set(sort(t)) for t, _ in data]
    lines = []
    for code in codes:
        gold = [code in g for _, g in data]
        got = [code in p for p in predicted]
        tp = sum(a and b for a, b in zip(gold, got, strict=True))
        support, given = sum(gold), sum(got)
        precision = tp / given if given else float("nan")
        recall = tp / support if support else float("nan")
        lines.append(f"  {code:22} n={support:3}  precision={precision:.2f}  recall={recall:.2f}")
    return lines


def satisfied_to_complaints(sort: Sorter, data: Labelled) -> int:
    """Comments labelled anything but pure satisfaction that were given `satisfied`."""
    return sum(SATISFIED in sort(t) and set(g) != {SATISFIED} for t, g in data)


def report(name: str, sort: Sorter, data: Labelled, codes: Sequence[str], detail: bool) -> None:
    latin = [(t, g) for t, g in data if is_latin(t)]
    print(
        f"{name:15} exact-set {agreement(sort, data):.3f} (n={len(data)})  "
        f"Latin {agreement(sort, latin):.3f} (n={len(latin)})  "
        f"satisfied-to-complaint {satisfied_to_complaints(sort, data)}"
    )
    if detail:
        print("\n".join(per_category(sort, data, codes)))


def old_rules() -> Sorter:
    """The engine before issue 14: lower-cased substrings, no normalisation."""
    raw = yaml.safe_load((DATA / "categories_before.ka.yaml").read_text("utf-8"))

    def alternation(stems: Sequence[str]) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(str(s).lower()) for s in stems))

    rules = {
        code: [
            (
                [alternation(group) for group in item["all"]],
                alternation(item["unless"]) if item.get("unless") else None,
                bool(item.get("alone")),
            )
            for item in items
        ]
        for code, items in raw["rules"].items()
    }
    labels = list(raw["labels"])

    def sort(text: str) -> tuple[str, ...]:
        cleaned = " ".join(text.lower().split())
        found, alone = [], set()
        for code, items in rules.items():
            for groups, unless, is_alone in items:
                if unless is not None and unless.search(cleaned):
                    continue
                if all(g.search(cleaned) for g in groups):
                    found.append(code)
                    if is_alone:
                        alone.add(code)
                    break
        if any(c not in alone for c in found):
            found = [c for c in found if c not in alone]
        return tuple(c for c in labels if c in found) or (OTHER,)

    return sort


def linear_model(categoriser: Categoriser, train: Labelled) -> Sorter | None:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.preprocessing import MultiLabelBinarizer
    except ImportError:
        return None
    texts = [categoriser.fold(t) for t, _ in train]
    binarizer = MultiLabelBinarizer(classes=list(categoriser.labels))
    y = binarizer.fit_transform([g for _, g in train])
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    x = vectors.fit_transform(texts)
    model = OneVsRestClassifier(LogisticRegression(C=10, max_iter=2000)).fit(x, y)
    codes = list(binarizer.classes_)

    def sort(text: str) -> tuple[str, ...]:
        scores = model.predict_proba(vectors.transform([categoriser.fold(text)]))[0]
        chosen = [c for c, p in zip(codes, scores, strict=True) if p >= 0.4]
        return tuple(chosen) or (codes[int(scores.argmax())],)

    return sort


def needs_look(categoriser: Categoriser, data: Labelled) -> str:
    verdicts = [(categoriser.assess(t), g) for t, g in data]
    flagged = [(v, g) for v, g in verdicts if v.needs_look]
    calm = [(v, g) for v, g in verdicts if not v.needs_look]
    wrong = [(v, g) for v, g in verdicts if set(v.categories) != set(g)]
    caught = sum(v.needs_look for v, _ in wrong)
    calm_right = sum(set(v.categories) == set(g) for v, g in calm) / len(calm) if calm else 1
    return (
        f"needs a look: {len(flagged)}/{len(data)} flagged ({len(flagged) / len(data):.0%}); "
        f"agreement on the unflagged {calm_right:.3f}; "
        f"{caught} of {len(wrong)} disagreements flagged"
    )


def learning(categoriser: Categoriser, dev: Labelled, heldout: Labelled) -> None:
    raw = yaml.safe_load((DATA / "comments_kind.yaml").read_text("utf-8"))
    kind, texts = (raw["kind"],), raw["comments"]
    taught, tested = texts[:20], texts[20:]
    before = sum(categoriser.categorise(t) == kind for t in tested)
    for count in (5, 10, 20):
        learned = categoriser.learn((t, kind) for t in taught[:count])
        right = sum(learned.categorise(t) == kind for t in tested)
        print(
            f"after {count:2} corrections of one kind: {right}/{len(tested)} of the others right "
            f"(before: {before}/{len(tested)}); exact-set with them: dev "
            f"{agreement(learned.categorise, dev):.3f}, held-out "
            f"{agreement(learned.categorise, heldout):.3f}"
        )


def timing(categoriser: Categoriser, pool: list[str], count: int = 100_000) -> None:
    rng = random.Random(14)
    openings = ["", "", "გამარჯობა, ", "gamarjobat ", "ქალბატონო, ", "მოგესალმებით. "]
    texts = [
        f"{rng.choice(openings)}{rng.choice(pool)} {rng.randrange(10**6)}" for _ in range(count)
    ]
    for name, sorter in (
        ("rules alone", load_categoriser(model=False)),
        ("shipped: rules and model", categoriser),
        ("shipped + 200 corrections", categoriser.learn((t, (OTHER,)) for t in pool[:200])),
    ):
        started, cpu = time.perf_counter(), time.process_time()
        sorter.assess_all(texts)  # as the report does: the model scores in batches
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        # CPU time too: on a shared machine the wall clock also counts others' work
        print(f"categorising {count:,} distinct comments ({name}): {seconds:.1f} s", end="")
        print(f" (CPU {cpu:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the dev comments it misses")
    parser.add_argument("--no-timing", action="store_true")
    arguments = parser.parse_args()
    categoriser = load_categoriser()
    codes = list(categoriser.labels)
    dev, heldout, fixtures = (
        load(DATA / "comments_dev.yaml"),
        load(DATA / "comments_heldout.yaml"),
        load(FIXTURES),
    )
    train = dev + fixtures
    candidates: dict[str, Sorter | None] = {
        "before": old_rules(),
        "rules": load_categoriser(model=False).categorise,
        "shipped": categoriser.categorise,
        "model": linear_model(categoriser, train),
        "rules+examples": categoriser.learn(train).categorise,
    }
    model = candidates["model"]
    if model is not None:
        candidates["rules+model"] = lambda t: (
            model(t) if categoriser.categorise(t) == (OTHER,) else categoriser.categorise(t)
        )
    for part, data in (("DEVELOPMENT (tuned on)", dev), ("HELD-OUT (never tuned on)", heldout)):
        print(f"\n== {part}: {len(data)} comments, {sum(is_latin(t) for t, _ in data)} Latin")
        for name, sort in candidates.items():
            if sort is None:
                print(f"{name:15} skipped: no scikit-learn (pip install scikit-learn)")
                continue
            trained = {"shipped", "model", "rules+model", "rules+examples"}
            if part.startswith("DEV") and name in trained:
                continue  # trained on these very comments: the figure would mean nothing
            report(name, sort, data, codes, detail=name == "rules")
        print(needs_look(categoriser, data))
    if arguments.misses:
        print("\n== development comments the rules get wrong")
        for text, gold in dev + fixtures:
            verdict = categoriser.assess(text)
            if set(verdict.categories) != set(gold):
                print(f"{text!r}: labelled {','.join(gold)}, got {','.join(verdict.categories)}")
    print("\n== learning from analysts")
    learning(categoriser, dev, heldout)
    if not arguments.no_timing:
        print("\n== speed")
        timing(categoriser, [t for t, _ in dev + heldout])


if __name__ == "__main__":
    main()
