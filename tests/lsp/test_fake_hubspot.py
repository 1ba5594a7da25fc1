"""The Python client of the fake HubSpot (fake_hubspot.py), which every command test drives,
against the binary: here, where Python is always present, instead of a Rust test that had to
skip itself without python3."""
from fake_hubspot import self_check


def test_python_client_against_the_fake_binary():
    self_check()
