"""The web server's access log names the route a request matched (`/verify/<code>`), never the values in
its path or query string: verification codes and search terms stay out of the log.

Used by scripts/run.sh: `gunicorn --logger-class webapp.accesslog.RouteLogger`.
"""
from __future__ import annotations

from gunicorn.glogging import Logger


class RouteLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        request = environ.get("werkzeug.request")
        rule = getattr(getattr(request, "url_rule", None), "rule", None)
        route = rule or "(không khớp đường dẫn nào)"
        atoms.update({"U": route, "q": "", "r": f"{atoms.get('m', '-')} {route} {atoms.get('H', '-')}"})
        return atoms
