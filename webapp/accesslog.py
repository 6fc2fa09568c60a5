"""The web server's access log names the route a request matched (`/verify/<code>`), never the values in
its path or query string: verification codes and search terms stay out of the log.

`register(app)` notes each request's route in its WSGI environ; scripts/run.sh starts gunicorn with
`--logger-class webapp.accesslog.RouteLogger`, which writes that route in place of the path.
"""
from __future__ import annotations

from flask import Flask, request
from gunicorn.glogging import Logger

ROUTE = "webapp.route"
NO_ROUTE = "(không khớp đường dẫn nào)"


def register(app: Flask) -> None:
    def _note_route():
        request.environ[ROUTE] = request.url_rule.rule if request.url_rule else NO_ROUTE

    app.before_request_funcs.setdefault(None, []).insert(0, _note_route)     # first, before any refusal


class RouteLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        route = environ.get(ROUTE, NO_ROUTE)
        atoms.update({"U": route, "q": "", "r": f"{atoms.get('m', '-')} {route} {atoms.get('H', '-')}"})
        return atoms
