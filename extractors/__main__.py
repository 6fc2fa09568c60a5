"""`python -m extractors FILE... [--explain]`: print the extraction schema JSON for one report
(several files are read as its pages, in order)."""
from __future__ import annotations

import argparse
import json
import sys

from . import ExtractionError, extract
from .multipage import extract_files


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, extract, print JSON; exit 2 with a message for an unreadable file."""
    parser = argparse.ArgumentParser(prog="python -m extractors", description="Trích xuất trường từ văn bản.")
    parser.add_argument("file", nargs="+", help="tệp báo cáo; nhiều tệp là các trang của một báo cáo, theo thứ tự")
    parser.add_argument("--explain", action="store_true", help="thêm _provenance (nguồn của từng trường)")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        result = extract(args.file[0], workers=args.workers) if len(args.file) == 1 else \
            extract_files(args.file, workers=args.workers)
    except ExtractionError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    out = result.to_dict(explain=args.explain)
    if args.explain:
        out["_pages"] = result.quality["pages"]    # each page's source (text-layer, ocr, word) and file
    if result.quality["too_poor"]:
        print(result.quality["message"], file=sys.stderr)
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
