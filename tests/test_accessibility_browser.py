"""axe-core, the accessibility engine most audit teams use, on the HTML artefacts in headless Chromium.

The gap report and the plan's HTML edition, compiled from the shipped sample, are opened from file://
URLs with the network off, and must show no serious or critical axe violation. axe's script comes from
the axe-core-python package (test extra), so nothing is downloaded at run time. The plan edition is also
checked to render: every action row is displayed, the skip link moves focus to the main content, and the
print stylesheet repeats table headers and hides the skip link.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser import axe_violations, chromium, load, require_browser
from tests.conftest import DEFAULT_RULES, REPO

pytestmark = pytest.mark.browser
require_browser()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from compiler.pipeline import compile_plan
    from compiler.ruleset import load_rules
    from compiler.writers import WriteContext
    from compiler.writers.gap_report import write_gap_report
    from compiler.writers.plan_html import write_plan_html
    from compiler.writers.progress_report import write_progress_report_html

    comp = compile_plan(REPO / "inputs", load_rules(DEFAULT_RULES), as_of=date(2025, 6, 1))
    out = tmp_path_factory.mktemp("html")
    ctx = WriteContext(inputs_dir=REPO / "inputs")
    for writer in (write_gap_report, write_plan_html, write_progress_report_html):
        for name, data in writer(comp, ctx).items():
            (out / name).write_bytes(data)
    return out, comp


@pytest.fixture(scope="module")
def driver():
    with chromium() as drv:
        yield drv


@pytest.mark.parametrize("name", ["gap-report.html", "shared-delivery-plan.html", "progress-report.html"])
def test_no_serious_or_critical_axe_violation(pages, driver, name):
    out, _ = pages
    load(driver, (out / name).as_uri())
    assert driver.execute_script("return typeof axe") == "undefined"  # the page brings no axe of its own
    assert axe_violations(driver) == []
    severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert severe == []


def test_plan_edition_renders_offline(pages, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    out, comp = pages
    load(driver, (out / "shared-delivery-plan.html").as_uri())
    assert driver.title == comp.rules.system.plan_title
    rows = driver.find_elements(By.CSS_SELECTOR, "main table tbody th[scope=row]")
    shown = {r.text for r in rows if r.is_displayed()}
    assert {a.id for a in comp.plan.actions} <= shown
    # no request left the page: every image is inline, nothing is fetched
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources == []
    # the skip link is the first thing a keyboard reaches, and it leads to the main content
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = driver.switch_to.active_element
    assert skip.text == "Skip to main content" and skip.is_displayed()
    skip.send_keys(Keys.ENTER)
    assert driver.execute_script("return location.hash") == "#main"
    # print: the skip link is hidden, table headers repeat on each page, rows are not split
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element(By.CSS_SELECTOR, "a.skip").is_displayed()
        thead = driver.execute_script("return getComputedStyle(document.querySelector('main thead')).display")
        assert thead == "table-header-group"
        inside = driver.execute_script("return getComputedStyle(document.querySelector('main tbody tr')).breakInside")
        assert inside == "avoid"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
