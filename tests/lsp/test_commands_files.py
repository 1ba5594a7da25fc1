"""`hubspot.files.upload|fetch` against the fake File Manager: multipart parts,
ignore rules, the local layout of a fetch, paging, `$/progress`, and every fault."""

import pytest
from lsprotocol import types as T
from pytest_lsp import client_capabilities

from cmdkit import FAULTS, UPLOAD, assert_authed, calls, non_exchange, run_fault_case, seed
from conftest import FAILED, INVALID_PARAMS, barrier, fails, progress_values, run, started, supports_progress, wait_for
from fake_hubspot import body_bytes

STAT = "/filemanager/api/v2/files/stat/"
LIST_FILES = "/filemanager/api/v2/files/"
LIST_FOLDERS = "/filemanager/api/v2/folders/"


def parts(req):
    return [(p["name"], p["filename"], p["contentType"], body_bytes(p)) for p in req["multipart"]]


# -- upload -------------------------------------------------------------------------------

async def test_upload_one_file_sends_the_cli_parts(lsp, files, fake):
    seed(files, fake)
    src = files.write("proj/hello.txt", "hello world\n")
    got = await run(lsp, "hubspot.files.upload", {"src": str(src), "dest": "docs/hello.txt"})
    assert got["uploaded"] == ["docs/hello.txt"]
    [req] = calls(fake, UPLOAD)
    assert req["method"] == "POST"
    assert_authed(req, 123)
    assert req["query"] == [["portalId", "123"]]
    assert req["headers"]["content-type"].startswith("multipart/form-data; boundary=")
    assert parts(req) == [
        ("file", "hello.txt", "text/plain", b"hello world\n"),
        ("fileName", None, None, b"hello.txt"),
        ("options", None, None, b'{"access":"PUBLIC_INDEXABLE","overwrite":true}'),
        ("folderPath", None, None, b"docs"),
    ]
    [up] = fake.uploads()
    assert (up["folderPath"], up["fileName"], up["bytes"]) == ("docs", "hello.txt", b"hello world\n")


async def test_upload_relative_src_and_root_dest(lsp, files, fake):
    seed(files, fake)
    files.write("proj/style.css", "a{}")
    got = await run(lsp, "hubspot.files.upload", {"src": "style.css", "dest": "/style.css", "account": "sandbox"})
    assert got["uploaded"] == ["style.css"]
    [req] = calls(fake, UPLOAD)
    assert_authed(req, 456)
    assert parts(req)[0][2] == "text/css"
    assert parts(req)[3] == ("folderPath", None, None, b"/")


async def test_upload_a_folder_tree_with_ignore_rules(lsp, files, fake):
    seed(files, fake)
    for rel, text in {
        "site/a.css": "a", "site/sub/b.js": "b", "site/.env": "SECRET=1", "site/node_modules/x.js": "x",
        "site/debug.log": "log", "site/.hsignore": "*.tmp\n", "site/c.tmp": "tmp", "site/hubspot.config.yml": "portals: []",
    }.items():
        files.write(f"proj/{rel}", text)
    got = await run(lsp, "hubspot.files.upload", {"src": str(files.project / "site"), "dest": "remote"})
    assert got["uploaded"] == ["remote/a.css", "remote/sub/b.js"]
    sent = [(p[3]) for r in calls(fake, UPLOAD) for p in parts(r) if p[0] == "folderPath"]
    assert sent == [b"remote", b"remote/sub"]
    assert sorted((u["folderPath"], u["fileName"]) for u in fake.uploads()) == [("remote", "a.css"), ("remote/sub", "b.js")]


async def test_upload_of_an_ignored_file_is_refused(lsp, files, fake):
    seed(files, fake)
    src = files.write("proj/.env", "SECRET=1")
    err = await fails(lsp, "hubspot.files.upload", {"src": str(src), "dest": "x/.env"})
    assert "ignored" in err.message
    err = await fails(lsp, "hubspot.files.upload", {"src": str(files.project / "nope.txt"), "dest": "x"})
    assert "nope.txt" in err.message
    err = await fails(lsp, "hubspot.files.upload", {"src": str(src)})
    assert err.code == INVALID_PARAMS and "dest" in err.message
    assert fake.requests() == []


async def test_upload_stops_at_the_first_failure(lsp, files, fake):
    seed(files, fake)
    for rel in ("site/a.txt", "site/b.txt", "site/c.txt"):
        files.write(f"proj/{rel}", rel)
    fake.fault(UPLOAD, "status", status=500, method="POST", times=0)
    err = await fails(lsp, "hubspot.files.upload", {"src": str(files.project / "site"), "dest": "d"})
    assert err.code == FAILED and "server error" in err.message and "d/a.txt" in err.message
    assert len(calls(fake, UPLOAD)) == 1


@pytest.mark.parametrize("kind", FAULTS)
async def test_upload_faults(lsp, files, fake, kind):
    seed(files, fake)
    src = files.write("proj/hello.txt", "hi")
    got = await run_fault_case(lsp, fake, files, "hubspot.files.upload", {"src": str(src), "dest": "docs/hello.txt"}, UPLOAD, "POST", kind)
    if kind in ("401", "429"):
        assert got["uploaded"] == ["docs/hello.txt"]
        retry = calls(fake, UPLOAD)[-1]
        assert parts(retry)[0] == ("file", "hello.txt", "text/plain", b"hi")  # the retry carries the whole form again
        assert [u["fileName"] for u in fake.uploads()] == ["hello.txt"]
    else:
        assert "docs/hello.txt" in got.message


# -- fetch --------------------------------------------------------------------------------

async def test_fetch_one_file(lsp, files, fake):
    seed(files, fake)
    info = fake.add_file(123, "/docs/a.txt", b"hello \x00 bytes", content_type="text/plain")
    got = await run(lsp, "hubspot.files.fetch", {"src": "/docs/a.txt", "dest": str(files.project / "out")})
    target = files.project / "out" / "a.txt"
    assert got == {"written": [str(target)], "skipped": []}
    assert target.read_bytes() == b"hello \x00 bytes"
    stat_req, download = non_exchange(fake)
    assert stat_req["path"] in (STAT + "docs/a.txt", STAT + "/docs/a.txt")
    assert_authed(stat_req, 123)
    assert download["path"] == info["url"][len(fake.url):]
    assert download["headers"]["accept"] == "application/octet-stream"
    assert_authed(download, 123)


async def test_fetch_a_folder_tree_pages_and_skips_archived(lsp, files, fake):
    seed(files, fake)
    for name in ("a.css", "b.css", "c.css", "sub/d.js"):
        fake.add_file(123, f"/site/{name}", name)
    fake.add_file(123, "/site/old.txt", "old", archived=True)
    fake.add_file(123, "/elsewhere/e.txt", "e")
    out = files.project / "out"
    got = await run(lsp, "hubspot.files.fetch", {"src": "site", "dest": str(out)})
    assert sorted(got["written"]) == sorted(str(out / "site" / n) for n in ("a.css", "b.css", "c.css", "sub/d.js"))
    assert got["skipped"] == []
    assert (out / "site" / "sub" / "d.js").read_text() == "sub/d.js"
    assert not (out / "site" / "old.txt").exists() and not (out / "elsewhere").exists()
    listings = calls(fake, LIST_FILES, "GET")
    listings = [r for r in listings if not r["path"].startswith(STAT)]
    first = listings[0]
    assert [k for k, _ in first["query"]] == ["hidden", "offset", "folder_id", "archived", "portalId"]
    assert dict(first["query"])["offset"] == "0" and dict(first["query"])["archived"] == "0"
    assert "2" in [dict(r["query"])["offset"] for r in listings]  # the second page of /site (page size 2)
    folders = calls(fake, LIST_FOLDERS, "GET")
    assert folders and all(r["query"][-1][0] == "portalId" for r in folders)


async def test_fetch_include_archived_and_overwrite(lsp, files, fake):
    seed(files, fake)
    fake.add_file(123, "/site/new.txt", "new")
    fake.add_file(123, "/site/old.txt", "old", archived=True)
    out = files.project / "out"
    existing = files.write(out / "site" / "new.txt", "local edit")
    got = await run(lsp, "hubspot.files.fetch", {"src": "/site", "dest": str(out), "includeArchived": True})
    assert got["written"] == [str(out / "site" / "old.txt")]
    assert got["skipped"] == [str(existing)]
    assert existing.read_text() == "local edit"
    assert all("archived" not in dict(r["query"]) for r in calls(fake, LIST_FILES) if not r["path"].startswith(STAT))
    assert not any(r["path"].startswith("/__cdn/") and r["path"].endswith("/new.txt") for r in fake.requests())
    got = await run(lsp, "hubspot.files.fetch", {"src": "/site", "dest": str(out), "overwrite": True})
    assert str(existing) in got["written"] and existing.read_text() == "new"


async def test_fetch_root_lands_in_dest(lsp, files, fake):
    seed(files, fake)
    fake.add_file(123, "/top.txt", "t")
    fake.add_file(123, "/f/in.txt", "i")
    out = files.project / "all"
    got = await run(lsp, "hubspot.files.fetch", {"src": "/", "dest": str(out)})
    assert sorted(got["written"]) == [str(out / "f" / "in.txt"), str(out / "top.txt")]
    assert not calls(fake, STAT)


async def test_fetch_errors(lsp, files, fake):
    seed(files, fake)
    fake.add_file(123, "/docs/old.txt", "old", archived=True)
    err = await fails(lsp, "hubspot.files.fetch", {"src": "/docs/old.txt", "dest": str(files.project)})
    assert "includeArchived" in err.message
    err = await fails(lsp, "hubspot.files.fetch", {"src": "/nothing/here.txt", "dest": str(files.project)})
    assert err.code == FAILED and "not found" in err.message
    err = await fails(lsp, "hubspot.files.fetch", {"src": "/docs/old.txt", "account": "nobody"})
    assert err.code == INVALID_PARAMS and "nobody" in err.message
    assert not (files.project / "old.txt").exists()


@pytest.mark.parametrize("kind", FAULTS)
async def test_fetch_faults(lsp, files, fake, kind):
    seed(files, fake)
    fake.add_file(123, "/docs/a.txt", "hello")
    dest = files.project / "out"
    got = await run_fault_case(lsp, fake, files, "hubspot.files.fetch", {"src": "/docs/a.txt", "dest": str(dest)}, STAT, "GET", kind)
    if kind in ("401", "429"):
        assert got["written"] == [str(dest / "a.txt")] and (dest / "a.txt").read_text() == "hello"
    else:
        assert not (dest / "a.txt").exists()


@pytest.mark.parametrize("kind", ["401", "500"])
async def test_fetch_download_faults(lsp, files, fake, kind):
    """The CDN download carries the API's credentials, so a 401 there refreshes and retries too."""
    seed(files, fake)
    fake.add_file(123, "/docs/a.txt", "hello")
    dest = files.project / "out"
    got = await run_fault_case(lsp, fake, files, "hubspot.files.fetch", {"src": "/docs/a.txt", "dest": str(dest)}, "/__cdn/", "GET", kind)
    if kind == "401":
        assert (dest / "a.txt").read_text() == "hello"
    else:
        assert "a.txt" in got.message and not (dest / "a.txt").exists()


# -- $/progress ---------------------------------------------------------------------------

def kinds(values):
    return [v.kind for v in values]


async def ended(lsp, files, count: int):
    """The progress of `count` commands, once each has ended. The `end` notification and the
    command's response travel separately, so the response may arrive first; the barrier
    makes sure nothing sent after `end` is still on its way."""
    def all_ended():
        reports = list(lsp.progress_reports.values())
        return len(reports) == count and all("end" in kinds(v) for v in reports)

    await wait_for(all_ended, f"the progress of {count} command(s) to end: {lsp.progress_reports!r}")
    await barrier(lsp, files)
    return list(lsp.progress_reports.values())


async def test_progress_for_upload_and_fetch_when_advertised(lsp, files, fake):
    seed(files, fake)
    for rel in ("site/a.txt", "site/b.txt"):
        files.write(f"proj/{rel}", rel)
    await run(lsp, "hubspot.files.upload", {"src": str(files.project / "site"), "dest": "d"})
    assert supports_progress(lsp)  # both profiles advertise window.workDoneProgress
    [values] = await ended(lsp, files, 1)
    assert kinds(values)[0] == "begin" and kinds(values)[-1] == "end"
    assert "report" in kinds(values)
    assert "uploaded 2" in values[-1].message
    await run(lsp, "hubspot.files.fetch", {"src": "/d", "dest": str(files.project / "back")})
    values = (await ended(lsp, files, 2))[1]  # a fresh token per command
    assert kinds(values)[0] == "begin" and kinds(values)[-1] == "end"
    assert (files.project / "back" / "d" / "b.txt").read_text() == "site/b.txt"


async def test_no_progress_for_other_commands(lsp, files, fake):
    seed(files, fake)
    await run(lsp, "hubspot.secrets.list", {})
    await run(lsp, "hubspot.account.list", {})
    await barrier(lsp, files)
    assert progress_values(lsp) == []


@pytest.fixture
async def lsp_without_progress(files, fake):
    """Neovim 0.7's capabilities minus `window.workDoneProgress`: a client that did not
    advertise it must never see `window/workDoneProgress/create` or `$/progress`."""
    caps = client_capabilities("neovim@v0.7.0")
    caps.window.work_done_progress = False
    async with started("neovim@v0.7.0", files, fake, capabilities=caps) as client:
        yield client


async def test_no_progress_when_not_advertised(lsp_without_progress, files, fake):
    lsp = lsp_without_progress
    seed(files, fake)
    files.write("proj/site/a.txt", "a")
    got = await run(lsp, "hubspot.files.upload", {"src": str(files.project / "site"), "dest": "d"})
    assert got["uploaded"] == ["d/a.txt"]
    got = await run(lsp, "hubspot.files.fetch", {"src": "/d", "dest": str(files.project / "back")})
    assert got["written"] == [str(files.project / "back" / "d" / "a.txt")]
    await barrier(lsp, files)  # notifications travel apart from responses: let late ones arrive
    assert lsp.progress_reports == {}  # no create request, no notification


async def test_progress_on_the_token_the_client_gave(lsp, files, fake):
    """A client that passes `workDoneToken` gets the progress on that token, no create request."""
    seed(files, fake)
    files.write("proj/one.txt", "1")
    lsp.progress_reports["client-token-1"] = []  # what the client created itself
    got = await lsp.workspace_execute_command_async(T.ExecuteCommandParams(
        command="hubspot.files.upload", arguments=[{"src": str(files.project / "one.txt"), "dest": "one.txt"}], work_done_token="client-token-1"))
    assert got["uploaded"] == ["one.txt"]
    [values] = await ended(lsp, files, 1)
    assert list(lsp.progress_reports) == ["client-token-1"]
    assert kinds(values)[0] == "begin" and kinds(values)[-1] == "end"


async def test_fetch_without_dest_lands_in_the_workspace(lsp, files, fake):
    seed(files, fake)
    fake.add_file(123, "/docs/a.txt", "hello")
    got = await run(lsp, "hubspot.files.fetch", {"src": "/docs"})
    assert got["written"] == [str(files.project / "docs" / "a.txt")]
    assert (files.project / "docs" / "a.txt").read_text() == "hello"


async def test_upload_of_an_empty_folder(lsp, files, fake):
    seed(files, fake)
    (files.project / "empty").mkdir()
    got = await run(lsp, "hubspot.files.upload", {"src": str(files.project / "empty"), "dest": "e"})
    assert got["uploaded"] == []
    assert calls(fake, UPLOAD) == []
