#!/usr/bin/env python3
"""Checks editors/helix/languages.toml as Helix reads it, beside the real-Helix suite
(test_helix.py): TOML syntax, the keys Helix requires, the `language-server` table, and the
file-type globs matched the way Helix matches them (against the full path, with `*/` put in
front of a relative glob; `*` may cross `/`), including the files it must leave alone.

Prints PASS/FAIL lines and `helix-config: N passed, N failed`; exit 1 on any failure.
"""

from __future__ import annotations

import fnmatch
import pathlib
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[3]
PATH = ROOT / "editors" / "helix" / "languages.toml"

# Servers Helix defines itself (its built-in languages.toml), that ours may name.
HELIX_BUILTIN_SERVERS = {"yaml-language-server", "vscode-json-language-server"}

passed = 0
failed = 0


def check(name: str, ok: bool, detail: str = "") -> None:
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS helix-config: {name}")
    else:
        failed += 1
        print(f"FAIL helix-config: {name}{': ' + detail if detail else ''}")


def server_names(lang: dict) -> list[str]:
    """`language-servers` entries are names or `{ name = ..., only-features/except-features }`."""
    out = []
    for entry in lang.get("language-servers", []):
        out.append(entry if isinstance(entry, str) else entry.get("name"))
    return out


def globs(lang: dict) -> list[str]:
    return [ft["glob"] for ft in lang.get("file-types", []) if isinstance(ft, dict) and "glob" in ft]


def helix_glob_matches(glob: str, path: str) -> bool:
    """As Helix does: relative globs not starting with a wildcard get `*/` in front."""
    if not glob.startswith("/") and not glob.startswith("*"):
        glob = "*/" + glob
    return fnmatch.fnmatchcase(path, glob)


def language_for(doc: dict, path: str) -> str | None:
    """The language Helix picks by glob (globs win over extensions in Helix)."""
    for lang in doc.get("language", []):
        if any(helix_glob_matches(g, path) for g in globs(lang)):
            return lang["name"]
    return None


def main() -> int:
    try:
        doc = tomllib.loads(PATH.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        check("languages.toml parses as TOML", False, str(e))
        return finish()
    check("languages.toml parses as TOML", True)

    servers = doc.get("language-server", {})
    hls = servers.get("hubspot-ls")
    check(
        "[language-server.hubspot-ls] runs command = \"hubspot-ls\"",
        isinstance(hls, dict) and hls.get("command") == "hubspot-ls",
        f"got {hls!r}",
    )
    if isinstance(hls, dict):
        args = hls.get("args", [])
        check(
            "hubspot-ls args are a list of strings accepted by the binary (none, serve, --stdio)",
            isinstance(args, list) and all(a in ("serve", "--stdio") for a in args),
            f"args = {args!r}",
        )

    langs = {lang.get("name"): lang for lang in doc.get("language", [])}
    expected = {
        "hubspot-config": {
            "globs": {".hscli/config.yml", "hubspot.config.yml", "hubspot.config.yaml"},
            "peer": "yaml-language-server",
        },
        "hubspot-settings": {"globs": {".hs/settings.json"}, "peer": "vscode-json-language-server"},
        "hsaccount": {"globs": {".hsaccount"}, "peer": None},
    }
    for name, want in expected.items():
        lang = langs.get(name)
        check(f"[[language]] {name} exists", lang is not None, f"languages: {sorted(map(str, langs))}")
        if lang is None:
            continue
        missing = [k for k in ("name", "scope", "file-types") if k not in lang]
        check(f"{name}: has name, scope, file-types", not missing, f"missing {missing}")
        check(
            f"{name}: file-types globs are {sorted(want['globs'])}",
            set(globs(lang)) == want["globs"],
            f"got {globs(lang)}",
        )
        bare = [ft for ft in lang.get("file-types", []) if isinstance(ft, str)]
        check(
            f"{name}: no bare extensions (they would take over every .yml/.json file)",
            not bare,
            f"bare: {bare}",
        )
        names = server_names(lang)
        check(f"{name}: language-servers starts with hubspot-ls", names[:1] == ["hubspot-ls"], f"got {names}")
        if want["peer"]:
            check(
                f"{name}: keeps Helix's {want['peer']}",
                want["peer"] in names,
                f"got {names}",
            )
        unknown = [n for n in names if n not in servers and n not in HELIX_BUILTIN_SERVERS]
        check(f"{name}: every language server is defined", not unknown, f"undefined: {unknown}")

    cases = {
        "/home/me/.hscli/config.yml": "hubspot-config",
        "/work/site/hubspot.config.yml": "hubspot-config",
        "/work/site/nested/hubspot.config.yaml": "hubspot-config",
        "/work/site/.hs/settings.json": "hubspot-settings",
        "/work/site/theme/.hsaccount": "hsaccount",
        "/work/site/config.yml": None,
        "/work/site/settings.json": None,
        "/work/site/.vscode/settings.json": None,
        "/home/me/.config/hscli/config.yml": None,
        "/work/site/my.hsaccount": None,
    }
    for path, want in cases.items():
        got = language_for(doc, path)
        check(f"{path} opens as {want or 'not a HubSpot language'}", got == want, f"got {got}")

    return finish()


def finish() -> int:
    print(f"helix-config: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
