#!/usr/bin/env python3
"""A stand-in for the server's quick fixes, to check the editor tests' code-action steps
before hubspot-ls has code actions. Not used by CI.

Sits between the editor and the real binary (stdio both ways), adds `codeActionProvider` to
the initialize result and answers `textDocument/codeAction` itself, for `name-whitespace`
(`Rename to "<name>"`) and `hsaccount-invalid` (`Write <id>`), taking the replacement from the
diagnostic's message. Everything else is relayed untouched.

    HUBSPOT_LS_REAL=target/debug/hubspot-ls HUBSPOT_LS=tests/editors/dev/code_action_proxy.py \\
        tests/editors/run.sh nvim vscode
"""
import json
import os
import re
import subprocess
import sys
import threading

real = os.environ.get("HUBSPOT_LS_REAL", "hubspot-ls")
server = subprocess.Popen([real, *sys.argv[1:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out_lock = threading.Lock()


def read(stream):
    headers = {}
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        k, _, v = line.decode().partition(":")
        headers[k.strip().lower()] = v.strip()
    return json.loads(stream.read(int(headers["content-length"])))


def write(stream, msg, lock=None):
    body = json.dumps(msg).encode()
    data = b"Content-Length: %d\r\n\r\n" % len(body) + body
    if lock:
        with lock:
            stream.write(data)
            stream.flush()
    else:
        stream.write(data)
        stream.flush()


init_ids = set()


def from_server():
    while True:
        msg = read(server.stdout)
        if msg is None:
            break
        if msg.get("id") in init_ids and "result" in msg:
            msg["result"].setdefault("capabilities", {})["codeActionProvider"] = {"codeActionKinds": ["quickfix"]}
        write(sys.stdout.buffer, msg, out_lock)
    os._exit(server.wait())


def actions(params):
    uri = params["textDocument"]["uri"]
    out = []
    for d in params.get("context", {}).get("diagnostics", []):
        m = None
        if d.get("code") == "name-whitespace":
            m = re.search(r"Use `([^`]+)`", d.get("message", ""))
            title = m and f'Rename to "{m.group(1)}"'
        elif d.get("code") == "hsaccount-invalid":
            m = re.search(r"write `(\d+)`", d.get("message", ""))
            title = m and f"Write {m.group(1)}"
        if m:
            out.append({
                "title": title,
                "kind": "quickfix",
                "diagnostics": [d],
                "isPreferred": True,
                "edit": {"changes": {uri: [{"range": d["range"], "newText": m.group(1)}]}},
            })
    return out


threading.Thread(target=from_server, daemon=True).start()
while True:
    msg = read(sys.stdin.buffer)
    if msg is None:
        break
    if msg.get("method") == "initialize":
        init_ids.add(msg.get("id"))
    if msg.get("method") == "textDocument/codeAction":
        if os.environ.get("PROXY_DEBUG"):
            open(os.environ["PROXY_DEBUG"], "a").write(json.dumps(msg["params"]) + "\n")
        write(sys.stdout.buffer, {"jsonrpc": "2.0", "id": msg["id"], "result": actions(msg["params"])}, out_lock)
        continue
    write(server.stdin, msg)
server.stdin.close()
sys.exit(server.wait())
