#!/usr/bin/env python3
"""Build `extractors/data/vi_syllables.tsv`, the syllable model of `extractors/vi_correct.py`.

    .venv/bin/python scripts/build_vi_syllables.py [--nd30 ../shared/reference/nd30]

Sources (all shippable; none is read at run time):
* the plain text of Nghị định 30/2020/NĐ-CP and its annexes I and III (public legal texts, outside copyright)
  → syllable and syllable-bigram counts of the administrative genre;
* the project's own Vietnamese texts: the document templates and sample contexts (`doc_templates/`), the
  movement's criteria (`workflows/criteria.py`), the OCR phrase list (`extractors/lexicon.py`), frozen in
  `extractors/data/vi_project_text.txt` (refreshed only with --refresh-project-text), and the
  names of the levels of government below (`tuyến tỉnh`, `cấp xã`, `địa bàn huyện`: ND30 has none);
  the test generator (`tests/fixtures/extract/make_docs.py`) is left out so held-out documents stay unseen;
* pyvi's dictionary (`pyvi/models/words.txt`, MIT, ~31 000 words): every word adds one to each of its
  syllables and one to each pair of adjacent syllables (`tiêu biểu`, `phổ biến`, `giải quyết`);
* Tesseract's Vietnamese word list (`combine_tessdata -u vie.traineddata` + `dawg2wordlist`): one for
  each syllable it holds.
Only well-formed syllables (`extractors.quality.is_valid_syllable`) are kept.  Spellings of one syllable
that differ only in where the tone mark sits (`hòa`/`hoà`) or in a final y/i (`kỳ`/`kì`) are merged under
the spelling most frequent in the genre's texts.  Each source keeps its own count column (genre,
dictionary); `extractors/vi_correct.py` weighs them.  Nothing under `../shared/corpus` is read.
"""
from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import lexicon  # noqa: E402
from extractors.quality import is_valid_syllable  # noqa: E402
from extractors.vi_correct import syllable_key  # noqa: E402

OUT = ROOT / "extractors" / "data" / "vi_syllables.tsv"
# The project's own texts, frozen: the model changes when this file is refreshed on purpose
# (--refresh-project-text), not whenever a template's wording or the OCR phrase list is edited.
PROJECT_TEXT = ROOT / "extractors" / "data" / "vi_project_text.txt"
PROJECT_TEXTS = ["doc_templates/build_templates.py", "doc_templates/samples.py", "workflows/criteria.py"]
LEVELS = [f"{word} {level}" for word in ("tuyến", "cấp", "địa bàn", "trên địa bàn")
          for level in ("trung ương", "tỉnh", "huyện", "xã", "thôn", "cơ sở")]
ND30_TEXTS = ["30_2020_ND_CP.txt", "Phuluc1.txt", "Phuluc3.txt"]
TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata/vie.traineddata")
RUN_RE = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)*", re.UNICODE)   # letter words not split by punctuation


def runs(text: str) -> list[list[str]]:
    """Runs of lower-case syllables that no punctuation, digit or non-syllable separates."""
    out = []
    for match in RUN_RE.finditer(unicodedata.normalize("NFC", text)):
        current: list[str] = []
        for word in match.group().lower().split():
            if is_valid_syllable(word):
                current.append(word)
            else:
                out.append(current)
                current = []
        out.append(current)
    return [r for r in out if r]


def project_strings(path: Path) -> str:
    """Every string literal of a Python source file, one a line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return "\n".join(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def project_text(root: Path) -> str:
    """The project's texts of the genre (templates, samples, criteria, the OCR phrase list), form-feed separated."""
    parts = [project_strings(root / name) for name in PROJECT_TEXTS]
    return "\f".join(parts + ["\n".join(lexicon.PHRASES + LEVELS)])


def pyvi_words() -> list[str]:
    """The entries of pyvi's dictionary."""
    import pyvi
    return (Path(pyvi.__file__).parent / "models" / "words.txt").read_text(encoding="utf-8").splitlines()


def tesseract_words() -> list[str]:
    """Tesseract's Vietnamese word list, unpacked from the installed traineddata."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["combine_tessdata", "-u", str(TESSDATA), f"{tmp}/vie."], check=True, capture_output=True)
        out = f"{tmp}/vie.words"
        subprocess.run(["dawg2wordlist", f"{tmp}/vie.lstm-unicharset", f"{tmp}/vie.lstm-word-dawg", out],
                       check=True, capture_output=True)
        return Path(out).read_text(encoding="utf-8").splitlines()


SOURCES = ("genre", "dictionary")     # the count columns of the TSV


def count(nd30: Path) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """Syllable and adjacent-pair counts per source column, spellings as found."""
    unigrams = {name: Counter() for name in SOURCES}
    bigrams = {name: Counter() for name in SOURCES}

    def add(text_runs: list[list[str]], column: str) -> None:
        for run in text_runs:
            for i, syllable in enumerate(run):
                unigrams[column][syllable] += 1
                if i:
                    bigrams[column][run[i - 1], syllable] += 1

    genre = [(nd30 / name).read_text(encoding="utf-8") for name in ND30_TEXTS]
    genre += PROJECT_TEXT.read_text(encoding="utf-8").split("\f")
    for text in genre:
        add(runs(text), "genre")
    for word in pyvi_words():
        add(runs(word), "dictionary")
    for word in tesseract_words():
        add([r for r in runs(word) if len(r) == 1], "dictionary")
    return unigrams, bigrams


def canonical_spellings(unigrams: dict[str, Counter]) -> dict[str, str]:
    """Each spelling → the spelling of the same (letters, tone) most frequent in the genre's texts
    (`hòa`, the spelling of ND30), else in all sources."""
    best: dict[tuple, str] = {}
    seen = set().union(*unigrams.values())
    for spelling in sorted(seen, key=lambda s: tuple(-unigrams[c][s] for c in SOURCES) + (s,)):
        best.setdefault(syllable_key(spelling), spelling)
    return {s: best[syllable_key(s)] for s in seen}


def merged(counts: dict[str, Counter], canon) -> dict:
    """key → [genre, dictionary] counts, keys mapped through `canon`."""
    out: dict = {}
    for i, name in enumerate(SOURCES):
        for key, n in counts[name].items():
            out.setdefault(canon(key), [0] * len(SOURCES))[i] += n
    return out


def main(argv: list[str] | None = None) -> int:
    """Count, merge spellings, write the TSV."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nd30", type=Path, default=ROOT / ".." / "shared" / "reference" / "nd30")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--refresh-project-text", action="store_true",
                        help=f"rewrite {PROJECT_TEXT.name} from the current templates, criteria and phrase list first")
    args = parser.parse_args(argv)
    if args.refresh_project_text:
        PROJECT_TEXT.write_text(project_text(ROOT), encoding="utf-8")
    unigrams, bigrams = count(args.nd30)
    canon = canonical_spellings(unigrams)
    uni = merged(unigrams, canon.get)
    bi = merged(bigrams, lambda pair: (canon[pair[0]], canon[pair[1]]))
    lines = [f"# Vietnamese syllables and syllable pairs with their counts in {', '.join(SOURCES)} texts; "
             f"built by scripts/build_vi_syllables.py ({len(uni)} syllables, {len(bi)} pairs). Do not edit."]
    lines += ["\t".join([s, *map(str, n)]) for s, n in sorted(uni.items())]
    lines += ["\t".join([f"{a} {b}", *map(str, n)]) for (a, b), n in sorted(bi.items())]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(uni)} syllables, {len(bi)} pairs, {args.out.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
