"""The rules staff write (``relevant``, ``constraint``): what reading and working one out costs.

For a rule of each shape: the time to read it (as a stored form is read back, without
limits) and to work it out once with answers, median of several runs, and whether
``form add`` would take it (``expressions.LIMITS``). The reader and the walk keep their own
stacks, so the cost grows with the rule's length and never meets the recursion limit: the
run also reads and works out each rule with Python's recursion limit at 100 to show it.

    python bench/expressions.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.questionnaire.expressions import LIMITS, ExpressionError, parse

HUGE = "1" + "0" * 400
SHAPES = {
    "follow-up ${a} = 'yes'": ("${a} = 'yes'", {"a": "yes"}),
    "check . >= 1 and . <= 5": (". >= 1 and . <= 5", {}),
    "10 × selected() or": (" or ".join(f"selected(${{m}}, 'c{n}')" for n in range(10)), {}),
    "199 parts (at the limit)": (" or ".join(["${a} = 'yes'"] * 50), {"a": "no"}),
    "1,000-term sum (reported)": (" + ".join(["${a}"] * 1000) + " > 1", {"a": "1"}),
    "150 parentheses (reported)": ("(" * 150 + "${a} = 'yes'" + ")" * 150, {"a": "yes"}),
    "10,000-term sum": (" + ".join(["${a}"] * 10_000) + " > 1", {"a": "1"}),
    "fails when worked out": (f"{HUGE} mod 3 = 1", {}),
}


def median_us(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def accepted(text: str) -> str:
    try:
        parse(text, LIMITS)
    except ExpressionError as error:
        return f"refused ({error.code.removeprefix('expression_')} {error.detail})"
    return "accepted"


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--repeat", type=int, default=200)
    repeat = arguments.parse_args().repeat
    print(f"limits: {LIMITS.tokens} parts, {LIMITS.nesting} levels; median of {repeat} runs")
    print(f"{'rule':<30} {'read µs':>10} {'work out µs':>12}  verdict  form add")
    for name, (text, answers) in SHAPES.items():
        rule = parse(text)
        read = median_us(lambda text=text: parse(text), repeat)
        worked = median_us(lambda rule=rule, answers=answers: rule.verdict(answers, "3"), repeat)
        verdict = rule.verdict(answers, "3")
        print(f"{name:<30} {read:>10.1f} {worked:>12.1f}  {verdict!s:<7}  {accepted(text)}")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(100)
    try:
        for text, answers in SHAPES.values():
            parse(text).verdict(answers)
    finally:
        sys.setrecursionlimit(limit)
    print("every rule read and worked out again with the recursion limit at 100: no error")


if __name__ == "__main__":
    main()
