"""A local stand-in for the Graph API: a real HTTP server on 127.0.0.1 in a thread, serving
leads by id from the fixtures (or as a test sets them), failing the ids a test names."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"


class FakeGraph:
    def __init__(self) -> None:
        self.leads: dict[str, dict[str, Any]] = {}
        self.failing: dict[str, int] = {}  # leadgen id -> HTTP status to answer
        self.requests: list[tuple[str, dict[str, list[str]]]] = []  # (path, query)
        self.url = ""
        for path in FIXTURES.glob("graph_lead_*.json"):
            lead = json.loads(path.read_text())
            self.leads[lead["id"]] = lead

    def answer(self, path: str) -> tuple[int, bytes]:
        leadgen_id = path.rstrip("/").rsplit("/", 1)[-1]
        if leadgen_id in self.failing:
            return self.failing[leadgen_id], (
                FIXTURES / "graph_error_expired_token.json"
            ).read_bytes()
        if leadgen_id not in self.leads:
            return 404, b'{"error": {"message": "Unsupported get request.", "code": 100}}'
        return 200, json.dumps(self.leads[leadgen_id]).encode()


@contextmanager
def fake_graph() -> Iterator[FakeGraph]:
    graph = FakeGraph()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            graph.requests.append((parts.path, parse_qs(parts.query)))
            status, body = graph.answer(parts.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    graph.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield graph
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
