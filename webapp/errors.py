"""Errors mapped to HTTP once: a JSON body under /api/, a Vietnamese page elsewhere."""
from __future__ import annotations

import errno
import logging

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from extractors.probe import ProbeError, UnsupportedType
from workflows import errors as wf

log = logging.getLogger(__name__)

STATUS = [
    (wf.TooManyAttempts, 429), (wf.Unauthorized, 401), (wf.NotFound, 404), (wf.UnknownAction, 404), (wf.Forbidden, 403),
    (wf.WrongState, 409), (wf.Conflict, 409), (wf.CommentRequired, 422), (wf.Invalid, 422),
    (UnsupportedType, 415), (ProbeError, 422),
]

HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Chưa đăng nhập hoặc phiên làm việc đã hết hạn."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy trang hoặc tài nguyên yêu cầu."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ."),
    413: ("file_too_large", "Tệp quá lớn, vượt giới hạn cho phép."),
    415: ("unsupported_type", "Loại tệp không được hỗ trợ."),
    429: ("too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau."),
    500: ("internal_error", "Lỗi hệ thống. Thao tác chưa được thực hiện; vui lòng thử lại hoặc báo quản trị."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str, field: str | None = None):
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if field:
            body["error"]["field"] = field
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


def status_of(exc: Exception) -> int:
    return next(status for cls, status in STATUS if isinstance(exc, cls))


def register(app: Flask) -> None:
    @app.errorhandler(wf.WorkflowError)
    @app.errorhandler(ProbeError)
    def _domain(exc):
        return error_response(status_of(exc), exc.code, exc.message, getattr(exc, "field", None))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code, message = HTTP_MESSAGES.get(exc.code, ("http_error", exc.description or "Lỗi."))
        if exc.code == 400 and "CSRF" in (exc.description or ""):
            from webapp.auth import pending_login, same_origin

            if request.method == "POST" and not wants_json() and same_origin():
                return pending_login()          # the session ended: sign in again, keeping the text
            code, message = "csrf", "Phiên biểu mẫu đã hết hạn, vui lòng tải lại trang và thử lại."
        if exc.code == 413:
            mb = (request.max_content_length or 0) // 2**20
            message = (f"Tệp quá lớn: các tệp gửi một lần vượt giới hạn {mb} MB. Hãy quét hoặc chụp ở độ phân giải "
                       "thấp hơn (A4 khoảng 300 dpi), hoặc xuất lại PDF nhỏ hơn rồi tải lên.")
        return error_response(exc.code or 500, code, message)

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def _out_of_range(exc):           # a number or text the database cannot hold is bad input, not a fault
        return error_response(422, "invalid_value", "Giá trị nhập vào quá lớn hoặc không hợp lệ.")

    @app.errorhandler(OSError)
    def _os_error(exc):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            log.error("storage full on %s %s: %s", request.method, request.path, exc)
            return error_response(507, "storage_full", "Máy chủ đã hết dung lượng lưu trữ: thao tác chưa được thực "
                                  "hiện, không có dữ liệu nào bị mất. Vui lòng thử lại sau hoặc báo quản trị.")
        return _unexpected(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unhandled error on %s %s", request.method, request.path)
        code, message = HTTP_MESSAGES[500]
        return error_response(500, code, message)
