"""Small clients for the JupyterHub REST API, Jupyter server REST APIs and kernels (over their websocket)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

import websocket


class HttpError(Exception):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status


def request(method: str, url: str, token: str, body: Any = None, form: dict[str, str] | None = None) -> Any:
    """One HTTP request with a Jupyter token; JSON in and out."""
    headers = {"Authorization": f"token {token}"}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            text = response.read().decode()
    except urllib.error.HTTPError as error:
        raise HttpError(error.code, error.read().decode(errors="replace")) from error
    return json.loads(text) if text.strip() else None


class Hub:
    """The Hub's REST API, used with the automation service's token."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.token = token

    def api(self, method: str, path: str, body: Any = None) -> Any:
        return request(method, f"{self.base}/hub/api{path}", self.token, body)

    def user_token(self, user: str) -> str:
        return self.api("POST", f"/users/{user}/tokens", {"expires_in": 3600, "note": "kommfit-test"})["token"]

    def start_server(self, user: str, timeout: float = 180) -> None:
        try:
            self.api("POST", f"/users/{user}/server")
        except HttpError as error:
            if error.status != 400:  # 400: already running
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{user}")["servers"].get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"server of {user} did not start")


class JupyterServer:
    """A single-user server or the course service, as one account."""

    def __init__(self, base: str, prefix: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.prefix = prefix.strip("/")
        self.token = token

    def url(self, path: str) -> str:
        return f"{self.base}/{self.prefix}/{urllib.parse.quote(path.lstrip('/'))}"

    def api(self, method: str, path: str, body: Any = None, form: dict[str, str] | None = None) -> Any:
        return request(method, self.url(path), self.token, body, form)

    def run(self, code: str, path: str = "", timeout: float = 600) -> str:
        """Run ``code`` in a new kernel (cwd = the folder of ``path``); return its output; fail on an error."""
        session = self.api("POST", "api/sessions", {
            "path": path or f"kommfit-test-{uuid.uuid4().hex}.ipynb", "type": "notebook",
            "name": "test", "kernel": {"name": "python3"},
        })
        kernel = session["kernel"]["id"]
        try:
            return self._execute(kernel, code, timeout)
        finally:
            self.api("DELETE", f"api/sessions/{session['id']}")

    def _execute(self, kernel: str, code: str, timeout: float) -> str:
        ws_url = self.url(f"api/kernels/{kernel}/channels").replace("http://", "ws://")
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"], timeout=timeout)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": msg_id,
                           "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True},
            }))
            output, error = [], None
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                opcode, data = ws.recv_data()
                if opcode != websocket.ABNF.OPCODE_TEXT:
                    continue  # widget messages with binary buffers come as binary frames; not what we wait for
                message = json.loads(data)
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["msg_type"]
                if kind == "stream":
                    output.append(message["content"]["text"])
                elif kind in ("execute_result", "display_data"):
                    output.append(message["content"]["data"].get("text/plain", ""))
                elif kind == "error":
                    error = "\n".join(message["content"]["traceback"])
                elif kind == "status" and message["content"]["execution_state"] == "idle":
                    break
            if error:
                raise AssertionError(f"kernel error:\n{error}\n{''.join(output)}")
            return "".join(output)
        finally:
            ws.close()
