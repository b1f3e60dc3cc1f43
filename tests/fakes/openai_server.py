"""A fake OpenAI-compatible chat API: a real HTTP server on 127.0.0.1 serving
``POST /v1/chat/completions`` the way OpenAI, Ollama or vLLM do.

``mode`` decides how it answers:
- ``good``: a JSON summary naming the first article's title;
- ``slow``: the same, after ``delay`` seconds;
- ``error``: HTTP 500;
- ``invalid``: HTTP 200 whose message is prose, not the JSON asked for;
- ``inject``: a gullible model that obeys an instruction found in the article text (a line
  starting ``INSTRUCTION:``) and echoes it into its answer;
- ``json``: the JSON object ``answer`` (what a model asked for facts might say).
Every request body is kept in ``requests``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fakes.replies import send_json


class FakeOpenAI:
    """Start with ``with FakeOpenAI() as fake:``; point clients at ``fake.base_url``."""

    def __init__(self, mode: str = "good", *, delay: float = 2.0, answer: dict | None = None):
        self.mode = mode
        self.delay = delay
        self.json_answer = answer
        self.requests: list[dict] = []
        self.auth: list[str | None] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                    return
                body = json.loads(raw)
                with fake._lock:
                    fake.requests.append(body)
                    fake.auth.append(self.headers.get("Authorization"))
                status, payload = fake.answer(body)
                self._send(status, payload)

            def _send(self, status, payload):
                send_json(self, status, payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def calls(self) -> int:
        return len(self.requests)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- answers ------------------------------------------------------------------------------

    @staticmethod
    def user_text(body: dict) -> str:
        return next(m["content"] for m in body["messages"] if m["role"] == "user")

    def answer(self, body: dict) -> tuple[int, dict]:
        user = self.user_text(body)
        if self.mode == "error":
            return 500, {"error": {"message": "the model crashed", "type": "server_error"}}
        if self.mode == "slow":
            time.sleep(self.delay)
        if self.mode == "json":
            return 200, self.completion(body, json.dumps(self.json_answer))
        if self.mode == "invalid":
            return 200, self.completion(body, "Sure! Here is a summary of the articles: chips are big.")
        if self.mode == "inject":
            found = re.search(r"INSTRUCTION:\s*(.+)", user)
            if found:
                return 200, self.completion(body, json.dumps({"summary": found.group(1).strip()}))
        title = re.search(r"Title: (.+)", user)
        summary = f"LLM summary: {title.group(1).strip() if title else 'a story'}. Two reports agree."
        return 200, self.completion(body, json.dumps({"summary": summary}))

    @staticmethod
    def completion(body: dict, content: str) -> dict:
        prompt_words = sum(len(m["content"].split()) for m in body["messages"])
        completion_words = len(content.split())
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt_words, "completion_tokens": completion_words,
                      "total_tokens": prompt_words + completion_words},
        }
