#!/usr/bin/env python3
"""Dev-only word-level check of `extractors.vi_correct` on real born-digital text (correct marks).

    wordlevel.py TEXT_FILE... [--rate 0.05] [--seed 1]

1. Clean text: every change the corrector makes is a false change (per 1 000 syllables).
2. The same text with RATE of its lower-case syllables given Tesseract-like mark errors (tone dropped
   or swapped, and one in four a vowel mark lost): syllables restored, changed wrongly, left wrong.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractors import vi_correct  # noqa: E402
from extractors.quality import is_valid_syllable, split_tone  # noqa: E402

TONES = {None: "", "sắc": "\u0301", "huyền": "\u0300", "hỏi": "\u0309", "ngã": "\u0303", "nặng": "\u0323"}
UNMARK = str.maketrans("ăâêôơư", "aaeoou")


def corrupt(word: str, rng: random.Random) -> str:
    """A Tesseract-like misreading of a lower-case syllable's marks (may be ill-formed)."""
    import unicodedata
    base, tone = split_tone(word)
    if rng.random() < 0.25:
        base = base.translate(UNMARK)
    tone = rng.choice([t for t in TONES if t != tone])
    vowels = [i for i, c in enumerate(base) if c in "aăâeêioôơuưy"]
    if not vowels:
        return word
    at = vowels[len(vowels) // 2] if len(vowels) > 1 else vowels[0]
    return unicodedata.normalize("NFC", base[:at + 1] + TONES[tone] + base[at + 1:])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = [ln for f in args.files for ln in f.read_text(encoding="utf-8").splitlines() if ln.split()]
    syllables = false = restored = wrong = wrong_clean = missed = injected = 0
    examples = []
    for line in lines:
        tokens = line.split()
        fixed, changes = vi_correct.correct_tokens(tokens)
        syllables += sum(is_valid_syllable(t.strip(".,;:()\"'")) for t in tokens)
        false += len(changes)
        examples += [("false", line, c) for c in changes[:1]]
        noisy, hit = list(tokens), {}
        for i, t in enumerate(tokens):
            if t.isalpha() and t.islower() and is_valid_syllable(t) and rng.random() < args.rate:
                bad = corrupt(t, rng)
                if bad != t:
                    noisy[i], hit[i] = bad, t
        out, _ = vi_correct.correct_tokens(noisy)
        injected += len(hit)
        for i, t in enumerate(tokens):
            if i in hit:
                restored += out[i] == t
                missed += out[i] == noisy[i]
                wrong += out[i] not in (t, noisy[i])
            elif out[i] != t:
                wrong_clean += 1
                examples.append(("wrong", " ".join(noisy), (i, noisy[i], out[i])))
    print(f"clean text: {syllables} syllables, {false} changed ({1000 * false / max(syllables, 1):.2f} per 1000)")
    print(f"{injected} mark errors injected ({args.rate:.0%}): restored {restored}, left {missed}, "
          f"changed to another wrong form {wrong}; clean syllables nearby changed {wrong_clean}")
    for kind, line, change in examples[:40]:
        print(kind, change, "|", line[:110])
    return 0


if __name__ == "__main__":
    sys.exit(main())
