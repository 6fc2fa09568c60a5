"""Tone and vowel marks of Vietnamese OCR text, corrected by a syllable-bigram model.

Tesseract often reads a syllable's letters right and its marks wrong (`tiêu biếu`, `Phố biến`,
`giải quyêt`, `vôn`).  Each syllable may be replaced by another with the same letters that differs
only in its tone or vowel marks (`ê`/`e`, `ô`/`ơ`/`o`, `ư`/`u`, `ă`/`â`/`a`; `đ`/`d` only
in a syllable the model does not know), chosen by a Viterbi search over the line with a bigram model of Vietnamese
syllables (`data/vi_syllables.tsv`, built by `scripts/build_vi_syllables.py`).  Changing a well-formed, known
syllable must win a likelihood ratio of CHANGE_TONE (tone) or CHANGE_MARK (vowel marks), so only a
form far more likely in its context replaces it; CHANGE_SUPPORTED when the new form makes a dictionary
word with a neighbour and the reading makes no known pair (`Phố biến` → `Phổ biến`); a syllable the
grammar or the model does not know gives way to its likeliest known variant.  Never touched: numbers,
symbols and abbreviations, capitalised words inside a line or in a run of capitals (names, places),
names after Ông/Bà/đồng chí; capitals only on an all-capital line.  Case and punctuation are kept.
"""
from __future__ import annotations

import math
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from .lexicon import _recase
from .model import Line
from .quality import is_valid_syllable, split_tone

DATA = Path(__file__).parent / "data" / "vi_syllables.tsv"
CHANGE_TONE = math.log(100000)      # a known syllable gives way to a tone variant 100 000× likelier in context
CHANGE_MARK = math.log(100000)      # … to a vowel-mark variant as much likelier (both: the product)
CHANGE_SUPPORTED = math.log(1000)   # … to one that makes a dictionary word with a neighbour: 1000×
CHANGE_UNKNOWN = math.log(10)       # an unknown or ill-formed syllable gives way to a known one readily,
CHANGE_UNKNOWN_MARK = math.log(100)  # … more reluctantly when its vowel marks differ,
CHANGE_UNKNOWN_TONE = math.log(10)  # … or its tone (`THUÓC` → `THUỐC`, not `THUỘC`)
DISCOUNT = 0.75
WEIGHTS = (16, 4)                 # an occurrence in the genre's texts, an entry of a dictionary
TRIGGERS = {"ông", "bà", "đồng chí", "đ/c", "đc", "anh", "chị", "cô", "chú", "bác", "cháu", "em"}
SENTENCE_END = (".", ":", ";", "!", "?")
BULLET_RE = re.compile(r"^(?:[-+*•–]|[a-zđ]\)|\d+[.)]|[IVX]+\.)$")
TOKEN_RE = re.compile(r"^([^\w]*)([^\W\d_]+)([^\w]*)$", re.UNICODE)
Candidate = tuple[str | None, float, str | None]   # (model syllable, change cost, output spelling or None: keep)
Y_AS_I_RE = re.compile(r"^([bcdđghklmnpqrstvx]+)y$")
D_SWAP = str.maketrans("dđ", "đd")
FOLD_MARKS = str.maketrans("ăâêôơư", "aaeoou")


class Model:
    """Syllable counts, pair counts and the index of spellings by their bare letters."""

    def __init__(self, path: Path = DATA):
        self.uni: dict[str, float] = {}
        self.bi: dict[tuple[str, str], float] = {}
        self.words: set[tuple[str, str]] = set()      # pairs that are (part of) a dictionary word
        for row in path.read_text(encoding="utf-8").splitlines():
            if row and not row.startswith("#"):
                key, *counts = row.split("\t")
                n = sum(w * int(c) for w, c in zip(WEIGHTS, counts, strict=False))
                pair = key.split(" ")
                if not n:
                    continue
                if len(pair) == 2:
                    self.bi[pair[0], pair[1]] = float(n)
                    if int(counts[-1]):
                        self.words.add((pair[0], pair[1]))
                else:
                    self.uni[key] = float(n)
        self.key_of = {s: syllable_key(s) for s in self.uni}
        self.by_key = {key: s for s, key in self.key_of.items()}
        self.by_fold: dict[str, list[str]] = {}
        for s in self.uni:
            self.by_fold.setdefault(fold(s), []).append(s)
        log_total = math.log(sum(self.uni.values()) + 0.5 * len(self.uni))
        self.log_uni = {s: math.log(n + 0.5) - log_total for s, n in self.uni.items()}
        self.log_unknown = math.log(0.005) - log_total
        self.after: dict[str, list[float]] = {}
        for (a, _), count in self.bi.items():
            stats = self.after.setdefault(a, [0.0, 0])
            stats[0] += count
            stats[1] += 1
        self.log_next = lru_cache(maxsize=1 << 18)(self._log_next)

    def known(self, syllable: str) -> str | None:
        """The model's spelling of a lower-case syllable (`hoà` → `hòa`), None when unknown."""
        return self.by_key.get(syllable_key(syllable))

    def log_unigram(self, syllable: str | None) -> float:
        """log P(syllable); an unknown one gets a hundredth of a syllable seen once."""
        if syllable is None:
            return self.log_unknown
        return self.log_uni.get(syllable, self.log_unknown)

    def _log_next(self, prev: str | None, syllable: str | None) -> float:
        """log P(syllable | prev), absolute discounting onto the unigram; prev None: no context."""
        stats = self.after.get(prev) if prev else None
        if not stats:
            return self.log_unigram(syllable)
        n = self.bi.get((prev, syllable), 0.0) if prev and syllable else 0.0
        total, distinct = stats
        return math.log(max(n - DISCOUNT, 0.0) / total
                        + DISCOUNT * distinct / total * math.exp(self.log_unigram(syllable)))


def syllable_key(syllable: str) -> tuple[str, str | None]:
    """(letters, tone) of a syllable, its spelling variants merged: the tone mark's place (`hòa`/`hoà`)
    and a final `y`/`i` after consonants (`kỳ`/`kì`, `lý`/`lí`)."""
    base, tone = split_tone(syllable)
    return Y_AS_I_RE.sub(r"\1i", base), tone


def fold(syllable: str) -> str:
    """Letters without tone or vowel marks, `đ` kept: `biểu` → `bieu`, `đức` → `đuc`."""
    return syllable_key(syllable)[0].translate(FOLD_MARKS)


_LOADING = threading.Lock()


def model() -> Model:
    """The model, loaded once per process (OCR pages are corrected in parallel threads)."""
    with _LOADING:
        return _load()


@lru_cache(maxsize=1)
def _load() -> Model:
    """Read the model file."""
    return Model()


def correct_line(text: str) -> str:
    """The line with the marks of its syllables corrected."""
    return correct_line_changes(text)[0]


def correct_line_changes(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The corrected line and its changes as (token index, before, after), tokens split on whitespace."""
    parts = re.split(r"(\s+)", unicodedata.normalize("NFC", text))
    tokens = parts[0::2]
    fixed, changes = correct_tokens(tokens)
    parts[0::2] = fixed
    return "".join(parts), changes


def correct_ocr_line(line: Line) -> Line:
    """correct_tokens on the words of one OCR line, in place (boxes and confidences kept)."""
    fixed, _ = correct_tokens([w.text for w in line.words])
    for word, text in zip(line.words, fixed, strict=False):
        word.text = text
    return line


def correct_tokens(tokens: list[str]) -> tuple[list[str], list[tuple[int, str, str]]]:
    """Correct a line given as tokens; returns the new tokens and the changes made."""
    m = model()
    out, changes = list(tokens), []
    for segment in _segments(tokens):
        cores = [_parts(tokens[i])[1].lower() for i, _ in segment]
        seen = [m.known(c) if is_valid_syllable(c) else None for c in cores]
        padded = [None, None] + seen + [None, None]
        lattice: list[list[Candidate]] = [
            _candidates(m, cores[k], seen[k], tuple(padded[k:k + 2] + padded[k + 3:k + 5]))
            if editable else [(seen[k], 0.0, None)] for k, (_, editable) in enumerate(segment)]
        choices = _viterbi(m, lattice)
        for (i, _), choice in zip(segment, choices, strict=False):
            if choice is not None:
                lead, core, trail = _parts(tokens[i])
                new = lead + _recase(choice, core) + trail
                if new != tokens[i]:
                    out[i] = new
                    changes.append((i, tokens[i], new))
    return out, changes


def _parts(token: str) -> tuple[str, str, str]:
    """(leading punctuation, letters, trailing punctuation) of a token `_segments` kept as a syllable."""
    match = TOKEN_RE.match(token)
    assert match is not None        # segments hold only tokens that match
    lead, core, trail = match.groups()
    return lead, core, trail


def _segments(tokens: list[str]) -> list[list[tuple[int, bool]]]:
    """Runs of syllable tokens that punctuation, digits or symbols do not separate, each token marked
    editable or not (protected tokens still give context)."""
    segments: list = []
    current: list = []
    caps_line = all(t.isupper() for t in tokens if TOKEN_RE.match(t))
    for i, token in enumerate(tokens):
        match = TOKEN_RE.match(token)
        if not match:
            segments.append(current)
            current = []
            continue
        lead, core, trail = match.groups()
        if lead:
            segments.append(current)
            current = []
        current.append((i, _editable(tokens, i, core, caps_line)))
        if trail:
            segments.append(current)
            current = []
    segments.append(current)
    return [s for s in segments if any(editable for _, editable in s)]


def _editable(tokens: list[str], i: int, core: str, caps_line: bool) -> bool:
    """May this token's marks change?  Lower case yes; a capitalised word only when it starts a
    sentence and a lower-case word follows (`Phố biến`, not `Phố Mới`, not a lone word); capitals
    only on an all-capital line; never a name after a form of address."""
    if core.islower():
        return True
    if len(core) > 1 and core.isupper():
        return caps_line and not _after_address(tokens, i)
    if not (core[:1].isupper() and core[1:].islower()) or _after_address(tokens, i):
        return False
    return _sentence_start(tokens, i) and i + 1 < len(tokens) and tokens[i + 1][:1].islower()


def _sentence_start(tokens: list[str], i: int) -> bool:
    """First token of the line, or after a full stop, colon, semicolon or a bullet."""
    return i == 0 or tokens[i - 1].endswith(SENTENCE_END) or bool(BULLET_RE.match(tokens[i - 1]))


def _after_address(tokens: list[str], i: int) -> bool:
    """The token is capitalised and follows `Ông`, `Bà`, `đồng chí` … through capitalised words."""
    if not tokens[i][:1].isupper():
        return False
    j = i - 1
    while j >= 0 and tokens[j][:1].isupper() and tokens[j].lower().strip(".,:") not in TRIGGERS:
        j -= 1
    if j < 0:
        return False
    word = tokens[j].lower().strip(".,:")
    pair = " ".join(t.lower() for t in tokens[max(0, j - 1):j + 1])
    return word in TRIGGERS or pair in TRIGGERS


def _candidates(m: Model, core: str, seen: str | None, around: tuple) -> list[Candidate]:
    """(model syllable or None, change cost, output spelling or None for 'keep') for one editable token:
    `core` in lower case, `seen` its model spelling, `around` the two syllables before and after as read."""
    base, tone = syllable_key(core)
    out: list[Candidate] = [(seen, 0.0, None)]
    folds = [fold(core)]
    if seen is None and core[:1] in ("d", "đ"):     # Tesseract adds or drops the bar of đ (`đữ liệu`)
        folds.append(core[0].translate(D_SWAP) + folds[0][1:])
    for other in (s for f in folds for s in m.by_fold.get(f, ())):
        if other != seen:
            other_base, other_tone = m.key_of[other]
            cost = _change_cost(m, seen, other, around, other_tone != tone, other_base != base)
            out.append((other, cost, other))
    return out


def _change_cost(m: Model, seen: str | None, other: str, around: tuple, tone: bool, marks: bool) -> float:
    """Log likelihood ratio a change must win by.  Small from a syllable the model does not know; less
    when `other` makes a dictionary word with a neighbour as read and `seen` no known pair (`Phố biến`)."""
    if seen is None:
        return CHANGE_UNKNOWN + (CHANGE_UNKNOWN_MARK if marks else 0.0) + (CHANGE_UNKNOWN_TONE if tone else 0.0)
    if _paired(m, m.words, other, around) and not _paired(m, m.bi, seen, around):
        return CHANGE_SUPPORTED + (CHANGE_MARK - CHANGE_TONE if marks else 0.0)
    return (CHANGE_TONE if tone else 0.0) + (CHANGE_MARK if marks else 0.0)


def _paired(m: Model, pairs, syllable: str, around: tuple) -> bool:
    """Does the syllable form one of `pairs` with a neighbour that is not already bound in a
    dictionary word on its other side (`địa bàn tỉnh` gives no support to `bàn tính`)?"""
    left2, left, right, right2 = around
    return ((left, syllable) in pairs and (left2, left) not in m.words
            or (syllable, right) in pairs and (right, right2) not in m.words)


def _viterbi(m: Model, lattice: list[list[Candidate]]) -> list[str | None]:
    """Best path through the candidates: bigram log-probabilities minus change costs."""
    scores = [m.log_unigram(s) - cost for s, cost, _ in lattice[0]]
    back: list[list[int]] = []
    for before, column in zip(lattice, lattice[1:], strict=False):
        step, pointers = [], []
        for s, cost, _ in column:
            best = max(range(len(before)), key=lambda j: scores[j] + m.log_next(before[j][0], s))
            step.append(scores[best] + m.log_next(before[best][0], s) - cost)
            pointers.append(best)
        scores = step
        back.append(pointers)
    k = max(range(len(scores)), key=scores.__getitem__)
    path = [lattice[-1][k][2]]
    for column, pointers in zip(reversed(lattice[:-1]), reversed(back), strict=False):
        k = pointers[k]
        path.append(column[k][2])
    return path[::-1]
