"""Client for the fake HubSpot API binary (`tests/fake-hubspot`), standard library only.

    from fake_hubspot import FakeHubSpot

    with FakeHubSpot() as fake:                 # starts target/debug/fake-hubspot on a free port
        fake.add_account(123, "pak-123", hub_name="Prod", scope_groups=["files"])
        env["HUBSPOT_LS_API_URL"] = fake.url
        ...
        assert fake.secrets(123) == {"NAME": "value"}
        assert [r["path"] for r in fake.requests()] == [...]

For pytest: `fake_hubspot = make_fixture()` in a conftest.py gives a `fake_hubspot` fixture
(one fresh binary per test by default).

Run `python3 fake_hubspot.py --self-check [BINARY]` for a quick smoke test of the pair.
"""

from __future__ import annotations

import base64
import json
import os
import pathlib
import queue
import subprocess
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Iterable

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The protocol tests' one deadline (seconds), which every wait below derives from.
DEADLINE = float(os.environ.get("HUBSPOT_LS_TEST_TIMEOUT", "10"))


class AdminError(RuntimeError):
    """The admin API refused a call (bad input); `status` and `body` say why."""

    def __init__(self, status: int, body: Any):
        super().__init__(f"fake-hubspot admin call failed: {status} {body}")
        self.status = status
        self.body = body


def default_binary() -> pathlib.Path:
    """`$FAKE_HUBSPOT_BIN`, else `$CARGO_TARGET_DIR/debug/fake-hubspot`, else `<repo>/target/debug/fake-hubspot`."""
    if os.environ.get("FAKE_HUBSPOT_BIN"):
        return pathlib.Path(os.environ["FAKE_HUBSPOT_BIN"])
    target = os.environ.get("CARGO_TARGET_DIR")
    base = pathlib.Path(target) if target else ROOT / "target"
    return base / "debug" / "fake-hubspot"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def body_bytes(item: dict) -> bytes:
    """The bytes of a recorded request, a multipart part or an upload (`body` + `bodyEncoding`)."""
    body = item.get("body") or ""
    if item.get("bodyEncoding") == "base64":
        return base64.b64decode(body)
    return body.encode("utf-8")


def body_json(item: dict) -> Any:
    """The body parsed as JSON, or None when it is not JSON."""
    try:
        return json.loads(body_bytes(item))
    except ValueError:
        return None


def query_value(request: dict, name: str) -> str | None:
    """First value of a query parameter of a recorded request."""
    for key, value in request.get("query", []):
        if key == name:
            return value
    return None


class Response:
    """What `FakeHubSpot.call` got back."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"Response({self.status}, {self.body[:200]!r})"


class FakeHubSpot:
    """A running `fake-hubspot` process and its admin API (`/__fake/...`)."""

    def __init__(self, binary: str | os.PathLike | None = None, port: int = 0, startup_timeout: float = 6 * DEADLINE):
        explicit = binary is not None
        self.binary = pathlib.Path(binary) if explicit else default_binary()
        if not self.binary.exists():
            if explicit:
                raise FileNotFoundError(f"fake-hubspot binary not found: {self.binary}")
            # Convenience for local runs: build it (CARGO_TARGET_DIR is honoured by cargo).
            subprocess.run(["cargo", "build", "-p", "fake-hubspot", "--quiet"], cwd=ROOT, check=True)
        self._proc = subprocess.Popen(
            # --parent-pid: the fake exits with this process, so a killed test run leaves no orphans.
            [str(self.binary), "--port", str(port), "--parent-pid", str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=None,  # inherited: the fake only writes real problems there
        )
        line = self._first_line(startup_timeout)
        prefix = "listening on "
        if not line.startswith(prefix):
            self.stop()
            raise RuntimeError(f"fake-hubspot did not start: first line {line!r}")
        self.url = line[len(prefix):].strip()
        self.port = int(self.url.rsplit(":", 1)[1])

    def _first_line(self, timeout: float) -> str:
        # A thread, because a plain readline() would block forever on a hung child.
        out: queue.Queue[str] = queue.Queue()
        stdout = self._proc.stdout
        assert stdout is not None
        threading.Thread(target=lambda: out.put(stdout.readline().decode("utf-8", "replace")), daemon=True).start()
        try:
            line = out.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise RuntimeError(f"fake-hubspot printed nothing within {timeout}s") from None
        stdout.close()  # nothing else is ever printed there
        return line

    # -- lifecycle -------------------------------------------------------------------

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    close = stop

    def __enter__(self) -> "FakeHubSpot":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __del__(self) -> None:
        proc = getattr(self, "_proc", None)
        if proc is not None and proc.poll() is None:
            proc.kill()

    # -- HTTP ------------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json_body: Any = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 3 * DEADLINE,
    ) -> Response:
        """Any request to the fake (API or admin); never raises on an HTTP error status."""
        hdrs = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.url + path, data=data, method=method.upper(), headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return Response(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())

    def _admin(self, method: str, path: str, body: Any = None) -> Any:
        resp = self.call(method, "/__fake/" + path, json_body=body)
        try:
            parsed = resp.json()
        except ValueError:
            parsed = resp.body.decode("utf-8", "replace")
        if resp.status != 200:
            raise AdminError(resp.status, parsed)
        return parsed

    # -- accounts and tokens ---------------------------------------------------------

    def add_account(self, hub_id: int, personal_access_key: str = "", **fields: Any) -> None:
        """Adds (or replaces) an account. Extra fields in snake_case or camelCase:
        hub_name, account_type, user_id, scope_groups, enabled_features, parent_hub_id,
        api_key, oauth_client_id, oauth_client_secret, oauth_refresh_token."""
        spec = {"hubId": hub_id, "personalAccessKey": personal_access_key}
        spec.setdefault("hubName", f"Fake Hub {hub_id}")
        for key, value in fields.items():
            spec[_camel(key)] = value
        self._admin("POST", "accounts", spec)

    def accounts(self) -> list[dict]:
        """`[{hubId, hubName, accountType, portalState, oauthRefreshToken}]`."""
        return self._admin("GET", "accounts")["accounts"]

    def oauth_refresh_token(self, hub_id: int) -> str | None:
        """The refresh token `/oauth/v1/token` accepts now (it rotates on each refresh)."""
        for acct in self.accounts():
            if acct["hubId"] == hub_id:
                return acct["oauthRefreshToken"]
        return None

    def set_token_lifetime(self, seconds: float) -> None:
        """Lifetime of tokens issued from now on (default 3600; 0 = expired at once)."""
        self._admin("POST", "token-lifetime", {"seconds": seconds})

    def advance_clock(self, seconds: float) -> None:
        """Moves the fake's clock forward: tokens past their lifetime on it are expired."""
        self._admin("POST", "advance-clock", {"seconds": seconds})

    def revoke_tokens(self) -> None:
        """Every access token issued so far stops working (401)."""
        self._admin("POST", "revoke")

    def set_portal_state(self, hub_id: int, state: str) -> None:
        """`active`, `inactive` (exchange: 401 PORTAL_NOT_ACTIVE) or `missing` (404 INVALID_PORTAL_ID)."""
        self._admin("POST", "portal-state", {"hubId": hub_id, "state": state})

    def exchange(self, personal_access_key: str, portal_id: int | None = None) -> Response:
        """The PAK token exchange, as a client would do it."""
        query = f"?portalId={portal_id}" if portal_id is not None else ""
        return self.call(
            "POST",
            "/localdevauth/v1/auth/refresh" + query,
            json_body={"encodedOAuthRefreshToken": personal_access_key},
        )

    def token(self, personal_access_key: str, portal_id: int | None = None) -> str:
        """A fresh access token for a PAK (raises if the exchange fails)."""
        resp = self.exchange(personal_access_key, portal_id)
        if resp.status != 200:
            raise RuntimeError(f"token exchange failed: {resp}")
        return resp.json()["oauthAccessToken"]

    # -- requests and faults ---------------------------------------------------------

    def requests(self) -> list[dict]:
        """Recorded requests, oldest first: `{method, path, query: [[k, v]], rawQuery,
        headers: {lowercased: value}, headerList, body, bodyEncoding, multipart: [{name,
        filename, contentType, body, bodyEncoding}] | None}`. See `body_bytes`/`body_json`."""
        return self._admin("GET", "requests")["requests"]

    def wait_for_request(self, path_prefix: str, method: str | None = None, timeout: float = DEADLINE) -> dict | None:
        """Polls until a recorded request matches; returns it, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            for req in self.requests():
                if req["path"].startswith(path_prefix) and (method is None or req["method"] == method.upper()):
                    return req
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.02)

    def clear_requests(self) -> None:
        self._admin("DELETE", "requests")

    def fault(
        self,
        path_prefix: str,
        kind: str = "status",
        *,
        method: str | None = None,
        times: int = 0,
        status: int | None = None,
        body: Any = None,
        retry_after_secs: int | None = None,
        millis: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Adds a fault. kind: `status` (status, optional JSON body), `rateLimit`
        (retry_after_secs), `slow` (millis), `badJson`, `raw` (status, headers, body text),
        `endless`. times=0 means forever."""
        spec: dict[str, Any] = {"pathPrefix": path_prefix, "kind": kind, "times": times}
        if method is not None:
            spec["method"] = method
        if status is not None:
            spec["status"] = status
        if body is not None:
            spec["body"] = body
        if retry_after_secs is not None:
            spec["retryAfterSecs"] = retry_after_secs
        if millis is not None:
            spec["millis"] = millis
        if headers is not None:
            spec["headers"] = headers
        self._admin("POST", "faults", spec)

    def faults(self) -> list[dict]:
        return self._admin("GET", "faults")["faults"]

    def clear_faults(self) -> None:
        self._admin("DELETE", "faults")

    # -- secrets ---------------------------------------------------------------------

    def secrets(self, hub_id: int) -> dict[str, str]:
        """name -> value, in the order the API lists them."""
        got = self._admin("GET", f"secrets/{hub_id}")
        return {name: got["values"][name] for name in got["names"]}

    def set_secret(self, hub_id: int, key: str, secret: str) -> None:
        """Seeds (adds or replaces) a secret without the API's rules."""
        self._admin("POST", f"secrets/{hub_id}", {"key": key, "secret": secret})

    # -- File Manager ----------------------------------------------------------------

    def add_folder(self, hub_id: int, path: str, hidden: bool = False) -> int | str:
        """Creates a folder and its parents; returns its id (`"None"` for the root)."""
        return self._admin("POST", "folders", {"hubId": hub_id, "path": path, "hidden": hidden})["id"]

    def add_file(
        self,
        hub_id: int,
        path: str,
        content: bytes | str = b"",
        *,
        content_type: str | None = None,
        archived: bool = False,
        hidden: bool = False,
    ) -> dict:
        """Stores a file (parents created); returns `{id, url}` (the CDN URL)."""
        spec: dict[str, Any] = {"hubId": hub_id, "path": path, "archived": archived, "hidden": hidden}
        if isinstance(content, str):
            spec["content"] = content
        else:
            spec["contentBase64"] = base64.b64encode(content).decode("ascii")
        if content_type is not None:
            spec["contentType"] = content_type
        return self._admin("POST", "files", spec)

    def uploads(self) -> list[dict]:
        """Successful uploads: `{hubId, folderPath, fileName, options, contentType, filename,
        fileId, body, bodyEncoding, bytes}` (`bytes` decoded here for convenience)."""
        items = self._admin("GET", "uploads")["uploads"]
        for item in items:
            item["bytes"] = body_bytes(item)
        return items

    def set_page_size(self, size: int) -> None:
        """Page size of the file listing (default 2, so clients must page)."""
        self._admin("POST", "page-size", {"size": size})

    def sandboxes(self) -> list:
        """Every sandbox: `{sandboxHubId, parentHubId, name, type, status}`."""
        return self._admin("GET", "sandboxes")["sandboxes"]

    def set_sandbox_limits(self, hub_id: int, standard=None, development=None) -> None:
        """How many standard / development sandboxes `hub_id` may have (default 1 and 2)."""
        self._admin("POST", "sandbox-limits", {"hubId": hub_id, "standard": standard, "development": development})

    def set_sandbox_status(self, status: str, sandbox_hub_id=None) -> None:
        """The status new sandboxes get (default PENDING), or with `sandbox_hub_id` that one's."""
        body = {"status": status}
        if sandbox_hub_id is not None:
            body["sandboxHubId"] = sandbox_hub_id
        self._admin("POST", "sandbox-status", body)

    def reset(self) -> None:
        """Forgets everything; the process keeps running on the same port."""
        self._admin("POST", "reset")


def make_fixture(binary: str | os.PathLike | None = None, scope: str = "function", name: str = "fake_hubspot"):
    """A pytest fixture yielding a started `FakeHubSpot` (pytest imported only here)."""
    import pytest

    @pytest.fixture(scope=scope, name=name)
    def _fixture() -> Iterable[FakeHubSpot]:
        with FakeHubSpot(binary) as fake:
            yield fake

    return _fixture


def self_check(binary: str | None = None) -> None:
    """Exercises the client against the binary; raises AssertionError on a mismatch."""
    with FakeHubSpot(binary) as fake:
        fake.add_account(123, "pak-123", hub_name="Self Check", scope_groups=["files"])
        tok = fake.token("pak-123", 123)
        assert fake.call("GET", "/crm/v3/x?portalId=123").status == 401
        resp = fake.call("POST", "/cms/v3/functions/secrets?portalId=123", token=tok, json_body={"key": "K", "secret": "v"})
        assert resp.status < 300, resp
        assert fake.secrets(123) == {"K": "v"}
        fake.set_secret(123, "K2", "v2")
        assert list(fake.secrets(123)) == ["K", "K2"]
        reqs = fake.requests()
        assert [r["path"] for r in reqs] == ["/localdevauth/v1/auth/refresh", "/crm/v3/x", "/cms/v3/functions/secrets"], reqs
        assert body_json(reqs[0]) == {"encodedOAuthRefreshToken": "pak-123"}
        assert query_value(reqs[2], "portalId") == "123"
        assert reqs[2]["headers"]["authorization"] == f"Bearer {tok}"
        assert fake.wait_for_request("/cms/", "post", timeout=1)["path"] == "/cms/v3/functions/secrets"
        assert fake.wait_for_request("/never", timeout=0.05) is None
        fake.clear_requests()
        assert fake.requests() == []

        fake.fault("/boom", "status", status=500, times=1)
        fake.fault("/limit", "rateLimit", retry_after_secs=1, times=1)
        assert fake.call("GET", "/boom?portalId=123", token=tok).status == 500
        assert fake.call("GET", "/boom?portalId=123", token=tok).status == 200
        limited = fake.call("GET", "/limit?portalId=123", token=tok)
        assert (limited.status, limited.headers.get("retry-after")) == (429, "1")
        fake.clear_faults()

        fake.add_folder(123, "/docs")
        info = fake.add_file(123, "/docs/a.bin", b"\x00\x01", content_type="application/octet-stream")
        got = fake.call("GET", info["url"][len(fake.url):] + "?portalId=123", token=tok)
        assert (got.status, got.body) == (200, b"\x00\x01"), got
        stat = fake.call("GET", "/filemanager/api/v2/files/stat//docs/a.bin?portalId=123", token=tok).json()
        assert stat["file"]["name"] == "a" and stat["file"]["extension"] == "bin"

        fake.set_portal_state(123, "inactive")
        assert fake.exchange("pak-123", 123).json()["subCategory"] == "LocalDevAuthErrorType.PORTAL_NOT_ACTIVE"
        fake.set_portal_state(123, "active")
        fake.revoke_tokens()
        assert fake.call("GET", "/x?portalId=123", token=tok).status == 401
        fake.set_token_lifetime(0)
        assert fake.call("GET", "/x?portalId=123", token=fake.token("pak-123", 123)).status == 401
        fake.set_token_lifetime(60)
        tok = fake.token("pak-123", 123)
        assert fake.call("GET", "/x?portalId=123", token=tok).status == 200
        fake.advance_clock(60)
        assert fake.call("GET", "/x?portalId=123", token=tok).status == 401
        try:
            fake.set_portal_state(123, "bogus")
        except AdminError as err:
            assert err.status == 400
        else:
            raise AssertionError("bad admin input must raise")
        assert fake.uploads() == []
        fake.reset()
        assert fake.accounts() == []


if __name__ == "__main__":
    import sys

    args = [a for a in sys.argv[1:] if a != "--self-check"]
    self_check(args[0] if args else None)
    print("fake_hubspot self-check ok")
