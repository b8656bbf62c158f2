"""Snapshot tests: reviewed outputs stored beside the tests (see serialise.py and tests/test_snapshots.py)."""
