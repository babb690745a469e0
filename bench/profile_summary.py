"""A py-spy profile in a few lines: the share of samples in each function, inclusive and
self, so a note can say where a worker's time goes.

Record one (py-spy is a dev tool, not a dependency: `pip install py-spy` into the venv):
`py-spy record -p <worker pid> -f raw -o profile.raw -r 200`, then
`.venv/bin/python -m bench.profile_summary profile.raw [--top 40] > summary.txt`.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"(.*?) \((.*?):\d+\)$")


def _name(frame: str) -> str:
    m = _FRAME.match(frame)
    return f"{m.group(1)} ({m.group(2).split('/')[-1]})" if m else frame


def summarise(raw: str, top: int) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_name(f) for f in stack.split(";")]
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    if not total:
        return "no samples\n"
    lines = [f"{total} samples", "", "inclusive (the function and what it called):"]
    lines += [f"{n / total:6.1%}  {name}" for name, n in inclusive.most_common(top)]
    lines += ["", "self (the function's own code):"]
    lines += [f"{n / total:6.1%}  {name}" for name, n in own.most_common(top // 2)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path, help="py-spy's raw (collapsed) output")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    print(summarise(args.raw.read_text(), args.top), end="")


if __name__ == "__main__":
    main()
