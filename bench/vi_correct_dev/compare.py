#!/usr/bin/env python3
"""Dev-only: fields changed by the diacritic correction, from two score_extraction.py --json files.

    compare.py WITHOUT.json WITH.json

Prints each field whose value changed (gold, before, after), the counts of fields made right, made
wrong and changed while staying wrong, and on the word level: the words of the gold values found in
the extracted string values (in order, difflib) before and after.
"""
from __future__ import annotations

import difflib
import json
import sys


def words_matched(gold: str, pred: str) -> int:
    """Words of `gold` matched in order by `pred`."""
    a, b = gold.split(), pred.split()
    return sum(block.size for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def main(before_path: str, after_path: str) -> int:
    before = {d["name"]: d for d in json.load(open(before_path, encoding="utf-8"))["documents"]}
    after = {d["name"]: d for d in json.load(open(after_path, encoding="utf-8"))["documents"]}
    right = wrong = other = 0
    gold_words = matched_before = matched_after = 0
    for name in sorted(before):
        b, a = before[name], after[name]
        for field, outcome in b["fields"].items():
            if "." in field:
                continue
            gold, old, new = (d.get(field) for d in (b["gold"], b["prediction"], a["prediction"]))
            if isinstance(gold, str) and isinstance(old, str) and isinstance(new, str):
                gold_words += len(gold.split())
                matched_before += words_matched(gold, old)
                matched_after += words_matched(gold, new)
            if old == new:
                continue
            now = a["fields"][field]
            kind = "RIGHT" if now == "correct" else "WRONG" if outcome == "correct" else "other"
            right, wrong, other = right + (kind == "RIGHT"), wrong + (kind == "WRONG"), other + (kind == "other")
            print(f"{kind:5} {name} {field}\n   gold:   {gold}\n   before: {old}\n   after:  {new}")
    print(f"\nfields made right {right}, made wrong {wrong}, changed but still wrong {other}")
    print(f"gold words matched in string fields (where both runs give a value): "
          f"{matched_before} → {matched_after} of {gold_words}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
