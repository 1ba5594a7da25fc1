"""Commands under pressure, end to end through the protocol: sent side by side, against a
HubSpot whose errors echo credentials, pointed at the config in use. (What each layer does
is tested in Rust; these check that the server wires it up.)"""
import asyncio

import pytest
import yaml

from cmdkit import CONFIG, EXCHANGE, PAK_PROD, SECRETS, config_yaml, seed
from conftest import INVALID_PARAMS, fails, run, started

PAKS = {id: f"pat-na1-{id:08d}-aaaa-bbbb-cccc-00000000d{id % 1000:03d}" for id in (1001, 1002, 1003, 1004, 1005, 1006)}
SECRET_VALUE = "Recognisable-Secret-Value-0xC0FFEE"


def ids(files) -> list[int]:
    return sorted(a["accountId"] for a in config_yaml(files)["accounts"])


async def test_commands_sent_together_each_land_on_disk(lsp, files, fake):
    seed(files, fake)
    for id, pak in PAKS.items():
        fake.add_account(id, pak, hub_name=f"Hub {id}")
    auths = [run(lsp, "hubspot.account.auth", {"personalAccessKey": PAKS[id]}) for id in (1001, 1002, 1003, 1004)]
    got = await asyncio.gather(*auths)
    assert sorted(g["accountId"] for g in got) == [1001, 1002, 1003, 1004]
    assert ids(files) == [123, 456, 1001, 1002, 1003, 1004], "every success is on disk"
    # Writers of every kind in flight together.
    await asyncio.gather(
        run(lsp, "hubspot.account.auth", {"personalAccessKey": PAKS[1005]}),
        run(lsp, "hubspot.account.remove", {"account": 1001}),
        run(lsp, "hubspot.account.use", {"account": 1002}),
        run(lsp, "hubspot.account.auth", {"personalAccessKey": PAKS[1006], "name": "six"}),
    )
    doc = config_yaml(files)
    assert ids(files) == [123, 456, 1002, 1003, 1004, 1005, 1006]
    assert doc["defaultAccount"] == 1002
    text = files.global_config.read_text()
    assert text.startswith("# HubSpot CLI config, edited by hand\n") and "# end of accounts" in text


@pytest.fixture
async def logged(files, fake):
    """A server logging at info level into a file: (client, log path)."""
    log = files.root / "server-stderr.log"
    async with started("visual-studio-code", files, fake, env={"HUBSPOT_LS_LOG": "info"}, stderr_to=log) as client:
        yield client, log


async def test_an_error_echoing_the_key_or_the_secret_value_is_scrubbed_everywhere(logged, files, fake):
    client, log = logged
    seed(files, fake)
    echo = {"status": "error", "message": f"rejected {PAK_PROD} with secret {SECRET_VALUE}",
            "echo": {"key": PAK_PROD, "secret": SECRET_VALUE}}
    fake.fault(SECRETS, "status", status=400, method="POST", body=echo, times=1)
    err = await fails(client, "hubspot.secrets.add", {"name": "MY_SECRET", "value": SECRET_VALUE})
    # The key exchange knows the key it sent (not another command's secret value).
    fake.fault(EXCHANGE, "status", status=401, body={"message": f"bad key {PAK_PROD}", "key": PAK_PROD}, times=1)
    err2 = await fails(client, "hubspot.account.auth", {"personalAccessKey": PAK_PROD})
    told = " ".join([err.message, str(err.data), err2.message, str(err2.data)])
    assert "pat-na1-…a123" in err.message, err.message
    await client.shutdown_session()
    client.shutdown_session = _noop
    stderr = log.read_text()
    assert "command failed" in stderr, stderr
    for where, text in (("client", told), ("log", stderr)):
        assert PAK_PROD not in text, (where, text)
        assert SECRET_VALUE not in text, (where, text)


async def _noop():
    return None


async def test_config_migrate_refuses_the_global_config_itself(lsp, files, fake):
    seed(files, fake)
    for spelling in (files.global_config, files.home / ".hscli" / "." / "config.yml",
                     files.home / "x" / ".." / ".hscli" / "config.yml"):
        err = await fails(lsp, "hubspot.config.migrate", {"path": str(spelling)})
        assert err.code == INVALID_PARAMS and "the global config itself" in err.message, err.message
    assert files.global_config.read_text() == CONFIG
    assert not (files.home / ".hscli" / "archived.hubspot.config.yml").exists()
    assert yaml.safe_load(CONFIG) == config_yaml(files)
