"""The OpenAPI 3.1 description served at /api/v1/openapi.json (kept beside the routes it describes)."""

ERROR = {"$ref": "#/components/schemas/Error"}


def _op(summary: str, ok: int = 200, body: dict | None = None, errors=(401, 403, 404, 409, 422)) -> dict:
    responses = {str(ok): {"description": "OK"}}
    responses.update({str(code): {"description": "Lỗi", "content": {"application/json": {"schema": ERROR}}}
                      for code in errors})
    op = {"summary": summary, "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": body}
    return op


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Thi đua “Toàn dân bảo vệ an ninh Tổ quốc” – API", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                               "field": {"type": "string"}}}}},
        },
    },
    "security": [{"bearer": []}],
    "paths": {
        "/token": {
            "post": {**_op("Đăng nhập, nhận mã truy cập", body=_json({
                "type": "object", "required": ["username", "password"],
                "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}),
                errors=(401, 422)), "security": []},
            "delete": _op("Thu hồi mã truy cập đang dùng", ok=204, errors=(401,)),
        },
        "/health": {"get": {**_op("Tình trạng hệ thống", errors=(503,)), "security": []}},
        "/me": {"get": _op("Người dùng hiện tại", errors=(401,))},
        "/units": {"get": _op("Các đơn vị được xem", errors=(401,))},
        "/campaigns": {"get": _op("Các đợt thi đua", errors=(401,))},
        "/dossiers": {
            "get": {**_op("Danh sách hồ sơ", errors=(401, 422)), "parameters": [
                {"name": "state", "in": "query", "schema": {"type": "string"}},
                {"name": "campaign_id", "in": "query", "schema": {"type": "integer"}}]},
            "post": _op("Đăng ký thi đua", ok=201, body=_json({
                "type": "object", "required": ["unit_id", "campaign_id"],
                "properties": {"unit_id": {"type": "integer"}, "campaign_id": {"type": "integer"},
                               "targets": {"type": "object", "additionalProperties": {"type": "integer",
                                                                                       "minimum": 0}}}})),
        },
        "/dossiers/{id}": {"get": _op("Một hồ sơ", errors=(401, 404))},
        "/dossiers/{id}/reports": {"post": _op("Nộp tệp báo cáo", ok=202, body={"multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {
                "type": "array", "minItems": 1, "items": {"type": "string", "format": "binary"},
                "description": "PDF, JPEG, PNG, TIFF, HEIC, DOCX, DOC, ODT; nhiều tệp là các trang của một báo cáo, "
                               "theo thứ tự gửi"},
                                                        "submit": {"type": "boolean", "default": True}}}}},
            errors=(401, 403, 404, 409, 413, 415, 422))},
        "/reports/{id}": {"get": _op("Một phiên bản báo cáo", errors=(401, 404))},
        "/reports/{id}/fields": {"put": _op("Sửa các trường trích xuất", body=_json({"type": "object"}))},
        "/reports/{id}/retry": {"post": _op("Đọc lại báo cáo lỗi", ok=202)},
        "/dossiers/{id}/actions/{action}": {"post": _op(
            "Thao tác quy trình (submit_report, forward, return, appraise, reject, resubmit)",
            body=_json({"type": "object"}))},
        "/approvals": {"post": _op("Phê duyệt nhiều hồ sơ", ok=201, body=_json({
            "type": "object", "required": ["dossier_ids"],
            "properties": {"dossier_ids": {"type": "array", "items": {"type": "integer"}},
                           "comment": {"type": "string"},
                           "password": {"type": "string", "description": "mật khẩu chứng thư số / mã PIN "
                                        "của người phê duyệt có khóa ký số (không được lưu)"}}}))},
        "/dossiers/{id}/history": {"get": _op("Lịch sử xử lý", errors=(401, 404))},
        "/documents/{id}": {"get": _op("Một văn bản", errors=(401, 404))},
        "/documents/{id}/file": {"get": {**_op("Tệp văn bản", errors=(401, 404, 409, 422)), "parameters": [
            {"name": "format", "in": "query", "schema": {"enum": ["docx", "pdf"]}}]}},
    },
}
