"""`python -m extractors FILE [--explain]`: print the extraction schema JSON for one file."""
from __future__ import annotations

import argparse
import json
import sys

from . import ExtractionError, extract


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, extract, print JSON; exit 2 with a message for an unreadable file."""
    parser = argparse.ArgumentParser(prog="python -m extractors", description="Trích xuất trường từ văn bản.")
    parser.add_argument("file")
    parser.add_argument("--explain", action="store_true", help="thêm _provenance (nguồn của từng trường)")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        result = extract(args.file, workers=args.workers)
    except ExtractionError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    out = result.to_dict(explain=args.explain)
    if result.quality["too_poor"]:
        print(result.quality["message"], file=sys.stderr)
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
