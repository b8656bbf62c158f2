"""Headless Chromium for the browser tests: the system's Chromium and chromedriver, offline.

`require_browser()` skips a test module where they are missing, except in CI (the CI variable set), where
a missing browser is a failure. `chromium()` starts one driver with the network switched off, so any
request a page tried to make would fail and be logged as a SEVERE browser message.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_browser() -> None:
    if not os.environ.get("CI"):
        if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
            pytest.skip("chromium/chromedriver not installed (set CI to require them)", allow_module_level=True)
        pytest.importorskip("selenium")


@contextlib.contextmanager
def chromium(width: int = 1280, height: int = 1000) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="sdp-chromium-")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        drv.execute_cdp_cmd("Network.enable", {})
        drv.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
        drv.set_script_timeout(120)
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def load(drv, url: str) -> None:
    """Open a page and wait until it has loaded (a state, never a time)."""
    from selenium.webdriver.support.ui import WebDriverWait

    drv.get(url)
    WebDriverWait(drv, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def axe_violations(drv, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's violations of these impacts on the loaded page (axe-core-python ships axe's script, so
    nothing is fetched): each as {id, impact, help, nodes: [target selectors]}."""
    from axe_core_python.selenium import Axe

    results = Axe().run(drv, options={"resultTypes": ["violations"]})
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [", ".join(map(str, n["target"])) for n in v["nodes"]][:5]}
            for v in results["violations"] if v["impact"] in impacts]
