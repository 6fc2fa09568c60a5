"""Render docxtpl templates fast: parse once, then fill the XML parts and zip them per document.

A template is read once into a `Compiled`: its XML parts holding Jinja tags are cleaned with
docxtpl's own `patch_xml` (so templates behave as under docxtpl: `{%p %}`, `{%tr %}`, tags split
across runs) and compiled by a sandboxed Jinja environment; every other part is kept deflated and
copied as bytes into each output file.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from doc_templates.errors import TemplateError
from doc_templates.kinds import FIELDS, KINDS, get_kind
from doc_templates.zipwriter import Entry, deflate, write_zip

TEMPLATE_DIR = Path(__file__).with_name("templates")
QR_NAME = "qr_code"
CHECK_SECONDS = 15.0  # the whole upload check of a template (every edge-case context)
PARALLEL_MIN = 64  # below this a process pool costs more than it saves
_TEMPLATED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_cache: dict[tuple[str, str], Compiled] = {}
_env = None


@dataclass
class Compiled:
    """A template ready to render: Jinja templates for some parts, deflated bytes for the rest."""

    kind: str
    order: list[str]
    static: dict[str, Entry]
    jinja: dict[str, object]
    qr_part: str | None


def environment():
    """Return the shared sandboxed, autoescaping, strict, bounded Jinja environment."""
    global _env
    if _env is None:
        from jinja2 import StrictUndefined

        from doc_templates.filters import FILTERS, finalize
        from doc_templates.limits import BoundedEnvironment

        _env = BoundedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=finalize)
        _env.filters.update(FILTERS)
    return _env


def _patch(xml: str) -> str:
    """Clean an XML part as docxtpl does before handing it to Jinja."""
    from docxtpl import DocxTemplate

    xml = DocxTemplate.patch_xml(None, xml)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)  # one paragraph a line: useful error lines


def _sources(data: bytes) -> tuple[list[str], dict[str, bytes], dict[str, str]]:
    """Split a .docx into member order, raw members and the patched Jinja sources."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        raw = {i.filename: zf.read(i) for i in zf.infolist()}
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise TemplateError("Tệp mẫu không phải là tệp Word .docx hợp lệ.") from exc
    if "word/document.xml" not in raw:
        raise TemplateError("Tệp mẫu thiếu phần word/document.xml.")
    sources = {}
    for name, content in raw.items():
        if _TEMPLATED.fullmatch(name):
            text = content.decode("utf-8")
            if "{" in text:
                sources[name] = _patch(text)
    return list(raw), raw, sources


def compile_template(kind: str, data: bytes) -> Compiled:
    """Parse and compile a template's bytes (raises TemplateError on Jinja syntax errors)."""
    from jinja2 import TemplateSyntaxError

    order, raw, sources = _sources(data)
    jinja = {}
    for name, src in sources.items():
        try:
            jinja[name] = environment().from_string(src)
        except TemplateSyntaxError as exc:
            raise TemplateError(_syntax_message(exc, src)) from exc
    static = {n: deflate(n, raw[n]) for n in order if n not in jinja}
    return Compiled(kind, order, static, jinja, _qr_part(raw))


def _syntax_message(exc, src: str) -> str:
    """Say in Vietnamese where the Jinja syntax error is, quoting the text around it."""
    lines = src.splitlines()
    near = re.sub(r"<[^>]+>", "", lines[exc.lineno - 1]) if exc.lineno and exc.lineno <= len(lines) else ""
    return f"Mẫu có lỗi cú pháp Jinja ({exc.message}) gần đoạn: “{near.strip()[:80]}”."


def _qr_part(raw: dict[str, bytes]) -> str | None:
    """Return the media part of the picture named “qr_code”, if the template has one."""
    doc = raw["word/document.xml"].decode("utf-8")
    m = re.search(rf'<wp:docPr[^>]*name="{QR_NAME}".*?r:embed="([^"]+)"', doc, re.S)
    rels = raw.get("word/_rels/document.xml.rels", b"").decode("utf-8")
    if not m:
        return None
    t = re.search(rf'<Relationship [^>]*Id="{m.group(1)}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{m.group(1)}"', rels)
    return f"word/{t.group(1)}" if t else None


def template_bytes(kind: str) -> bytes:
    """Return the bytes of the kind's bundled template."""
    return (TEMPLATE_DIR / get_kind(kind).filename).read_bytes()


def compiled(kind: str, template: bytes | None = None) -> Compiled:
    """Return the compiled template of `kind` (the bundled one unless `template` is given), cached."""
    data = template if template is not None else template_bytes(kind)
    key = (kind, hashlib.sha1(data).hexdigest())
    if key not in _cache:
        _cache[key] = compile_template(kind, data)
    return _cache[key]


def render(kind: str, context: dict, template: bytes | None = None) -> bytes:
    """Render one document of `kind` and return the .docx bytes."""
    return fill(compiled(kind, template), context)


def fill(tpl: Compiled, context: dict) -> bytes:
    """Render a compiled template with one context."""
    entries = []
    for name in tpl.order:
        if name in tpl.jinja:
            xml = _render_part(tpl.jinja[name], context)
            if name == "word/document.xml" and context.get("offsets_mm"):
                xml = shift_margins(xml, context["offsets_mm"])
            entries.append(deflate(name, xml.encode("utf-8"), level=1))
        elif name == tpl.qr_part and context.get("verify_url"):
            from doc_templates.qr import qr_png

            entries.append(deflate(name, qr_png(context["verify_url"]), level=0))
        else:
            entries.append(tpl.static[name])
    return write_zip(entries)


def _render_part(template, context: dict) -> str:
    """Render one XML part (within the time and size limits) and undo the added line breaks."""
    from doc_templates.limits import bounded_render

    try:
        xml = bounded_render(template, context)
    except TemplateError:
        raise
    except Exception as exc:   # any failure of an admin's template is a TemplateError, never a crash
        raise TemplateError(_render_message(exc)) from exc
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    if re.search(r"<w:t[^>]*>[^<]*[\n\t\a\f]", xml):  # line breaks inside values
        from docxtpl import DocxTemplate

        xml = DocxTemplate.resolve_listing(None, xml)
    return xml


def _render_message(exc) -> str:
    """Translate Jinja's undefined-value messages into Vietnamese, naming the variable."""
    text = str(exc)
    m = re.search(r"'([^']+)' is undefined", text)
    if m:
        return f"Thiếu dữ liệu cho biến “{m.group(1)}” khi tạo văn bản."
    m = re.search(r"has no attribute '([^']+)'", text)
    if m:
        return f"Thiếu dữ liệu cho trường “{m.group(1)}” khi tạo văn bản."
    return f"Không tạo được văn bản từ mẫu ({type(exc).__name__}: {text[:200]})."


def shift_margins(xml: str, offsets: dict) -> str:
    """Move everything by offsets_mm {x, y} by widening the top and left margins (for phôi)."""
    def shift(m, key):
        return str(max(0, int(m.group(1)) + round(float(offsets.get(key) or 0) * 1440 / 25.4)))

    xml = re.sub(r'(?<=<w:pgMar )([^>]*)', lambda m: re.sub(
        r'w:top="(-?\d+)"', lambda t: f'w:top="{shift(t, "y")}"', m.group(1)), xml)
    return re.sub(r'(?<=<w:pgMar )([^>]*)', lambda m: re.sub(
        r'w:left="(-?\d+)"', lambda t: f'w:left="{shift(t, "x")}"', m.group(1)), xml)


def render_many(kind: str, contexts: Iterable[dict], template: bytes | None = None,
                progress: Callable[[int, int], None] | None = None,
                workers: int | None = None) -> list[bytes]:
    """Render many documents from one parse; big batches use a process pool over the cores."""
    contexts = list(contexts)
    tpl = compiled(kind, template)
    workers = workers or min(os.cpu_count() or 1, 4)
    if len(contexts) < PARALLEL_MIN or workers < 2:
        return _render_serial(tpl, contexts, progress)
    return _render_parallel(kind, template, contexts, progress, workers)


def _render_serial(tpl: Compiled, contexts: list[dict], progress) -> list[bytes]:
    out = []
    for ctx in contexts:
        out.append(fill(tpl, ctx))
        if progress:
            progress(len(out), len(contexts))
    return out


def _render_chunk(kind: str, template: bytes | None, contexts: list[dict]) -> list[bytes]:
    """Worker entry point: render a slice (the compiled template is inherited or rebuilt once)."""
    tpl = compiled(kind, template)
    return [fill(tpl, ctx) for ctx in contexts]


def _render_parallel(kind, template, contexts, progress, workers) -> list[bytes]:
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    size = max(16, len(contexts) // (workers * 4))
    chunks = [contexts[i:i + size] for i in range(0, len(contexts), size)]
    results: list[list[bytes]] = [[] for _ in chunks]
    done = 0
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        futures = {pool.submit(_render_chunk, kind, template, c): i for i, c in enumerate(chunks)}
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            done += len(chunks[futures[fut]])
            if progress:
                progress(done, len(contexts))
    return [doc for chunk in results for doc in chunk]


# ---------------------------------------------------------------- validation of uploads

def validate_template(kind: str, docx_bytes: bytes) -> None:
    """Raise TemplateError if the template has a syntax error, uses a variable or tag `kind` does not
    allow, or leaves out a variable `kind` requires (a giấy khen that names no awardee)."""
    from jinja2 import TemplateSyntaxError, meta

    spec = get_kind(kind)
    _, _, sources = _sources(docx_bytes)
    env = environment()
    asts = []
    for src in sources.values():
        try:
            ast = env.parse(src)
            used = meta.find_undeclared_variables(ast)  # compiles: unknown filters fail here
        except TemplateSyntaxError as exc:
            raise TemplateError(_syntax_message(exc, src)) from exc
        unknown = sorted(used - spec.variables - set(env.globals))
        if unknown:
            raise TemplateError(f"Mẫu “{kind}” dùng biến không được phép: “{unknown[0]}”. "
                                f"Các biến được dùng: {', '.join(sorted(spec.variables))}.")
        _check_tags(ast)
        _check_fields(kind, ast)
        asts.append(ast)
    missing = [r for r in sorted(spec.required) if not any(_uses(ast, r) for ast in asts)]
    if missing:
        raise TemplateError(f"Mẫu không phải là mẫu “{spec.title}”: thiếu các trường bắt buộc "
                            + ", ".join(f"{{{{ {m} }}}}" for m in missing) + ". "
                            "Hãy tải mẫu đang dùng về, sửa nội dung nhưng giữ các trường này.")


_FORBIDDEN_TAGS = {"Include": "include", "Import": "import", "FromImport": "from … import",
                   "Extends": "extends", "Macro": "macro", "CallBlock": "call"}


def _check_tags(ast) -> None:
    """Refuse tags that reach outside the template ({% include %}, {% import %}, {% extends %}) or
    define code ({% macro %})."""
    from jinja2 import nodes

    for node in ast.find_all(tuple(getattr(nodes, n) for n in _FORBIDDEN_TAGS)):
        raise TemplateError(f"Mẫu không được dùng thẻ {{% {_FORBIDDEN_TAGS[type(node).__name__]} %}}: "
                            "mỗi mẫu là một tệp Word độc lập.")


def _uses(ast, required: str) -> bool:
    """Does the template read `required` (“awardee” or “awardee.name”)? Passing the whole object
    to a filter (`awardee|awardee_line`) counts as reading its fields."""
    from jinja2 import nodes

    var, _, attr = required.partition(".")
    for node in ast.find_all(nodes.Name):
        if node.name == var and node.ctx == "load" and not attr:
            return True
    if not attr:
        return False
    for node in ast.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == var and node.attr == attr:
            return True
    return any(isinstance(f.node, nodes.Name) and f.node.name == var and f.name != "bounded_iter"
               for f in ast.find_all((nodes.Filter, nodes.Test)))


def check_template(kind: str, docx_bytes: bytes) -> bytes:
    """The upload check of an admin's template: `validate_template`, then a render of every
    realistic and edge-case context of `kind` (long names, 0 and 200 nominees, optional values
    missing), then the ND30 check of the sample. Returns the sample .docx (for the preview);
    raises TemplateError in Vietnamese saying which case failed."""
    from doc_templates import samples
    from doc_templates.checks import check_nd30
    from doc_templates.limits import time_limit

    validate_template(kind, docx_bytes)
    tpl = compile_template(kind, docx_bytes)
    with time_limit(CHECK_SECONDS):
        for label, ctx in samples.edge_cases(kind):
            try:
                fill(tpl, ctx)
            except TemplateError as exc:
                raise TemplateError(f"Mẫu lỗi khi tạo thử với {label}: {exc}") from exc
        sample = fill(tpl, samples.sample(kind))
    problems = check_nd30(sample, get_kind(kind).profile)
    if problems:
        raise TemplateError("Văn bản tạo thử từ mẫu không đúng thể thức Nghị định 30/2020/NĐ-CP: "
                            + "; ".join(problems[:5]) + ".")
    return sample


def _check_fields(kind: str, ast) -> None:
    """Reject `header.foo` when `foo` is not a field of the context's `header` dict."""
    from jinja2 import nodes

    for node in ast.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in FIELDS:
            if node.attr not in FIELDS[node.node.name] and node.node.ctx == "load":
                raise TemplateError(f"Mẫu “{kind}” dùng trường không có: "
                                    f"“{node.node.name}.{node.attr}”.")


__all__ = ["render", "render_many", "validate_template", "check_template", "compiled", "KINDS"]
