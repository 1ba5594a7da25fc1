"""A minimal LSP client over stdio: JSON-RPC framing, request/response futures, and a record
of every `publishDiagnostics` with the time it arrived. Every wait has a timeout."""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


class LspError(Exception):
    pass


@dataclass
class Publish:
    t: float  # perf_counter() when the message was read
    version: int | None
    diagnostics: list[dict]


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out.extend(int(c) for c in f.read().split())
    except OSError:
        pass
    return out


def peak_rss_kib(pid: int) -> int:
    """VmHWM (peak resident set) of the process and its descendants, in KiB."""
    total = 0
    seen: set[int] = set()
    todo = [pid]
    while todo and len(seen) < 64:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        todo.extend(_children(p))
    return total


def cpu_ms(pid: int) -> float:
    """User + system CPU time the process has used so far, in ms (threads included, exited
    ones too). Read from the process's CPU clock (clock_getcpuclockid's encoding): ns
    resolution, where /proc/<pid>/stat counts 10 ms ticks, too coarse for a 20 ms session."""
    try:
        return time.clock_gettime(((~pid) << 3) | 2) * 1000
    except OSError:
        return 0.0


class Client:
    """One server process. `settings` answers `workspace/configuration` (by section) and is
    pushed with `workspace/didChangeConfiguration`."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], cwd: str, settings: dict, stderr_path: Path):
        self.name = name
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self.settings = settings
        self.stderr_path = stderr_path
        self.proc: asyncio.subprocess.Process | None = None
        self._next_id = 0
        self._pending: dict[int, asyncio.Future] = {}
        self.publishes: dict[str, list[Publish]] = {}
        self._published = asyncio.Event()
        self._reader: asyncio.Task | None = None
        self._stderr_file = None
        self.t_spawn = 0.0
        self.server_requests: list[str] = []
        self.dead: str | None = None

    async def start(self) -> None:
        self._stderr_file = open(self.stderr_path, "ab")
        self.t_spawn = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=self._stderr_file,
            env=self.env,
            cwd=self.cwd,
            limit=64 * 1024 * 1024,
        )
        self._reader = asyncio.create_task(self._read_loop())

    # --- wire ------------------------------------------------------------------------------------
    async def _send(self, msg: dict) -> float:
        """Writes `msg`; returns when its first byte went out. The clock starts after the
        encoding: turning an 875 KB didOpen into JSON takes Python ~6 ms, which is the
        harness's time, not either server's."""
        if self.dead:
            raise LspError(f"{self.name}: server is gone ({self.dead})")
        body = json.dumps(msg, separators=(",", ":")).encode()
        frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
        assert self.proc and self.proc.stdin
        t = time.perf_counter()
        self.proc.stdin.write(frame)
        await self.proc.stdin.drain()
        return t

    async def _read_loop(self) -> None:
        assert self.proc and self.proc.stdout
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = await out.readline()
                    if not line:
                        raise EOFError("stdout closed")
                    line = line.strip()
                    if not line:
                        break
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is None:
                    continue
                body = await out.readexactly(length)
                t = time.perf_counter()
                await self._dispatch(json.loads(body), t)
        except (EOFError, asyncio.IncompleteReadError, ConnectionError) as e:
            self.dead = str(e) or type(e).__name__
        except asyncio.CancelledError:
            raise
        except Exception as e:  # a malformed frame: note it, stop reading
            self.dead = f"reader failed: {e!r}"
        for f in self._pending.values():
            if not f.done():
                f.set_exception(LspError(f"{self.name}: server closed its output ({self.dead})"))
        self._published.set()

    async def _dispatch(self, msg: dict, t: float) -> None:
        if "method" in msg and "id" in msg:
            self.server_requests.append(msg["method"])
            await self._send({"jsonrpc": "2.0", "id": msg["id"], "result": self._answer(msg["method"], msg.get("params"))})
        elif "method" in msg:
            if msg["method"] == "textDocument/publishDiagnostics":
                p = msg["params"]
                self.publishes.setdefault(p["uri"], []).append(Publish(t, p.get("version"), p.get("diagnostics") or []))
                self._published.set()
        elif "id" in msg:
            f = self._pending.pop(msg["id"], None)
            if f and not f.done():
                f.set_result((t, msg))

    def _answer(self, method: str, params: Any) -> Any:
        if method == "workspace/configuration":
            items = (params or {}).get("items", [])
            return [self._section(i.get("section")) for i in items]
        if method == "vscode/content":  # the JSON server asking for a schema's text
            uri = params[0] if isinstance(params, list) else params.get("uri")
            path = uri[len("file://"):] if uri.startswith("file://") else uri
            try:
                return Path(path).read_text()
            except OSError:
                return None
        return None  # client/registerCapability, window/workDoneProgress/create, ...

    def _section(self, section: str | None) -> Any:
        if not section:
            return self.settings
        node: Any = self.settings
        for part in section.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    # --- API -------------------------------------------------------------------------------------
    async def request(self, method: str, params: Any, timeout: float) -> tuple[float, float, Any]:
        """Returns (sent_at, answered_at, result)."""
        self._next_id += 1
        rid = self._next_id
        fut = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        t0 = await self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        try:
            t1, msg = await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            self._pending.pop(rid, None)
            raise LspError(f"{self.name}: no answer to {method} within {timeout:.0f} s") from None
        if "error" in msg:
            raise LspError(f"{self.name}: {method} failed: {msg['error']}")
        return t0, t1, msg.get("result")

    async def notify(self, method: str, params: Any) -> float:
        return await self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def wait_diagnostics(self, uri: str, since: float, ok: Callable[[list[dict]], bool], timeout: float, min_version: int | None = None) -> Publish:
        """The first publish for `uri` read after `since` that satisfies `ok` (and, when the
        server sends versions, is for `min_version` or later)."""
        deadline = time.perf_counter() + timeout
        seen = 0
        last: Publish | None = None
        while True:
            pubs = self.publishes.get(uri, [])
            for p in pubs[seen:]:
                if p.t < since:
                    continue
                if min_version is not None and p.version is not None and p.version < min_version:
                    continue
                last = p
                if ok(p.diagnostics):
                    return p
            seen = len(pubs)
            if self.dead:
                raise LspError(f"{self.name}: server exited while waiting for diagnostics ({self.dead})")
            left = deadline - time.perf_counter()
            if left <= 0:
                got = "nothing" if last is None else f"{len(last.diagnostics)} diagnostics, not the expected ones"
                raise LspError(f"{self.name}: no correct diagnostics for {uri} within {timeout:.0f} s (last publish: {got})")
            self._published.clear()
            try:
                await asyncio.wait_for(self._published.wait(), min(left, 1.0))
            except asyncio.TimeoutError:
                pass

    def cpu_ms(self) -> float:
        return cpu_ms(self.proc.pid) if self.proc else 0.0

    def peak_rss_kib(self) -> int:
        return peak_rss_kib(self.proc.pid) if self.proc else 0

    async def stop(self, timeout: float = 5.0) -> None:
        if not self.proc:
            return
        try:
            if not self.dead:
                await self.request("shutdown", None, timeout)
                await self.notify("exit", None)
            await asyncio.wait_for(self.proc.wait(), timeout)
        except (LspError, asyncio.TimeoutError, ConnectionError, BrokenPipeError):
            pass
        if self.proc.returncode is None:
            self.proc.kill()
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except asyncio.TimeoutError:
                pass
        if self._reader:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):
                pass
        if self._stderr_file:
            self._stderr_file.close()
