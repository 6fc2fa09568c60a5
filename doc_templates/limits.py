"""Time and size limits of template rendering: an admin's template can neither pin nor bloat a worker.

`BoundedEnvironment` is Jinja's sandbox plus: no `lipsum`, a small `range`, capped `*`/`**`, no `%`
formatting, string values and filter arguments bounded, a deadline checked at every attribute
access, call, filter, loop step and output chunk. `bounded_render` streams a part and stops at MAX_OUTPUT_CHARS.
Every refusal is a TemplateError in Vietnamese.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import time

from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from doc_templates.errors import TemplateError

MAX_SECONDS = 10.0             # one part of one document
MAX_OUTPUT_CHARS = 40_000_000  # one XML part (a 200-row annex is ~1.5 MB)
MAX_VALUE_CHARS = 200_000      # one string or list a template computes
MAX_RANGE = 10_000
_WIDE = re.compile(r"\d{6,}")  # a format width of a million or more
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


def tick() -> None:
    """Stop the render when its deadline has passed."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TemplateError(f"Mẫu chạy quá lâu (quá {MAX_SECONDS:.0f} giây) nên bị dừng: "
                            "hãy bỏ các vòng lặp hoặc phép tính lớn trong mẫu.")


def _too_big(what: str) -> TemplateError:
    return TemplateError(f"Mẫu tạo ra {what} quá lớn (tối đa {MAX_VALUE_CHARS:,} ký tự) nên bị dừng."
                         .replace(",", "."))


def bounded(value):
    """Return `value` unless it is a string or sequence longer than MAX_VALUE_CHARS."""
    if isinstance(value, (str, list, tuple, bytes)) and len(value) > MAX_VALUE_CHARS:
        raise _too_big("một giá trị")
    return value


def _number(value) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE_CHARS:
        raise TemplateError(f"Mẫu dùng số quá lớn ({str(value)[:20]}…) làm tham số: tối đa "
                            f"{MAX_VALUE_CHARS:,}.".replace(",", "."))


def _format_string(text) -> None:
    if isinstance(text, str) and _WIDE.search(text) and re.search(r"[%{]", text):
        raise TemplateError("Mẫu dùng độ rộng định dạng quá lớn.")


def bounded_range(*args):
    """`range` for templates: at most MAX_RANGE items, each step checks the deadline."""
    for a in args:
        _number(a)
    items = range(*args)
    if len(items) > MAX_RANGE:
        raise TemplateError(f"Mẫu dùng range() quá lớn ({len(items):,} phần tử; tối đa "
                            f"{MAX_RANGE:,}).".replace(",", "."))
    for i in items:
        tick()
        yield i


def _binop_mul(left, right):
    seq, n = (left, right) if isinstance(right, int) else (right, left)
    if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
        if len(seq) * max(n, 0) > MAX_VALUE_CHARS:
            raise _too_big("một chuỗi")
    return left * right


def _binop_pow(left, right):
    if isinstance(right, (int, float)) and (abs(right) > 64 or abs(left) > 10 ** 6):
        raise TemplateError("Mẫu dùng lũy thừa quá lớn.")
    return left ** right


def _binop_mod(left, right):
    if isinstance(left, str):
        raise TemplateError("Mẫu không được dùng toán tử % với chuỗi: hãy dùng các bộ lọc có sẵn.")
    return left % right


def guard_filter(func):
    """Wrap a filter: deadline, numeric arguments and the size of what it returns are bounded."""
    skip = 1 if getattr(func, "jinja_pass_arg", None) else 0

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        tick()
        for a in list(args[skip + 1:]) + list(kwargs.values()):
            _number(a)
        if len(args) > skip:
            _format_string(args[skip])
        return bounded(func(*args, **kwargs))
    return wrapper


def bounded_iter(iterable):
    """What every {% for %} iterates: the items of `iterable`, checking the deadline at each."""
    for item in iterable:
        tick()
        yield item


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox with time and size limits (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "%"})
    _binops = {"*": _binop_mul, "**": _binop_pow, "%": _binop_mod}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.filters["bounded_iter"] = bounded_iter
        from jinja2 import FunctionLoader

        self.loader = FunctionLoader(_no_include)
        del self.globals["lipsum"]
        self.globals["range"] = bounded_range
        self.filters = _GuardedFilters(self.filters)

    def _parse(self, source, name, filename):
        """Parse, then make every `{% for x in xs %}` iterate `xs|bounded_iter`: even a loop whose
        body prints nothing and reads no attribute stops at the deadline."""
        ast = super()._parse(source, name, filename)
        for node in ast.find_all(nodes.For):
            if not (isinstance(node.iter, nodes.Filter) and node.iter.name == "bounded_iter"):
                node.iter = nodes.Filter(node.iter, "bounded_iter", [], [], None, None, lineno=node.lineno)
        return ast

    def call_binop(self, context, operator, left, right):
        tick()
        return bounded(self._binops[operator](left, right))

    def getattr(self, obj, attribute):
        tick()
        return bounded(super().getattr(obj, attribute))

    def getitem(self, obj, argument):
        tick()
        return bounded(super().getitem(obj, argument))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        tick()
        for a in list(args) + list(kwargs.values()):
            _number(a)
            _format_string(a)
        return bounded(SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs))

    def wrap_str_format(self, value):
        if getattr(value, "__name__", "") in ("format", "format_map"):
            _format_string(getattr(value, "__self__", None))
        return super().wrap_str_format(value)


class _GuardedFilters(dict):
    """The filters dict: every filter, added now or later, is wrapped by `guard_filter`."""

    def __init__(self, filters):
        super().__init__()
        self.update(filters)

    def __setitem__(self, name, func):
        super().__setitem__(name, guard_filter(func))

    def update(self, other=(), **kw):
        for name, func in dict(other, **kw).items():
            self[name] = func


@contextlib.contextmanager
def time_limit(seconds: float):
    """Every render inside the block ends by `seconds` from now (the upload check's whole budget)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _no_include(name):
    raise TemplateError("Mẫu không được dùng {% include %}, {% import %} hay {% extends %}: "
                        "mỗi mẫu là một tệp Word độc lập.")


def bounded_render(template, context: dict) -> str:
    """Render within MAX_SECONDS (or the enclosing `time_limit`) and MAX_OUTPUT_CHARS."""
    outer = _deadline.get()
    token = _deadline.set(min(outer or float("inf"), time.monotonic() + MAX_SECONDS))
    try:
        out, size = [], 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateError("Văn bản tạo từ mẫu quá lớn (quá "
                                    f"{MAX_OUTPUT_CHARS // 1_000_000} triệu ký tự) nên bị dừng.")
            tick()
            out.append(chunk)
        return "".join(out)
    finally:
        _deadline.reset(token)
