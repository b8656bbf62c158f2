"""The gap report page in a real headless browser, from a file:// URL with no network.

Chromium and chromedriver from the system (/usr/bin). Skipped only where they
are missing and the CI variable is unset; in CI this test must run. Leaves a
screenshot in tests/artefacts/gap-report.png (git-ignored) for a human to look at.
"""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import pytest

from tests.browser import chromium, require_browser
from tests.conftest import DEFAULT_RULES, REPO

pytestmark = pytest.mark.browser

ARTEFACTS = REPO / "tests" / "artefacts"

require_browser()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Path, dict]:
    """The sample's gap report written to a folder of its own, and plan.json's diagnostics."""
    import json

    from compiler.pipeline import compile_plan
    from compiler.ruleset import load_rules
    from compiler.writers import WriteContext
    from compiler.writers.gap_report import write_gap_report
    from compiler.writers.plan_json import plan_document

    comp = compile_plan(REPO / "inputs", load_rules(DEFAULT_RULES), as_of=date(2025, 6, 1))
    out = tmp_path_factory.mktemp("gap-report")
    for name, data in write_gap_report(comp, WriteContext(inputs_dir=REPO / "inputs")).items():
        (out / name).write_bytes(data)
    plan = json.loads(json.dumps(plan_document(comp.plan, comp.rules)))
    return out / "gap-report.html", plan


@pytest.fixture(scope="module")
def driver():
    with chromium(1400, 1000) as drv:  # offline: any request the page tried to make would fail and be logged
        yield drv


VISIBLE_ROWS = """
return Array.prototype.filter.call(document.querySelectorAll('#diagnostics tbody tr.diag'),
  function (r) { return r.offsetParent !== null; })
  .map(function (r) { return [r.getAttribute('data-severity'), r.getAttribute('data-code'),
                              r.cells[arguments[0] || 0].textContent.replace(/\\s+/g, ' ').trim()]; });
"""


def visible(drv, column: int = 0) -> list[list[str]]:
    return drv.execute_script(VISIBLE_ROWS.replace("arguments[0] || 0", str(column)))


def header(drv, label: str):
    return drv.find_element(By.XPATH, f"//table[@id='diagnostics']/thead//th[.//button[starts-with(normalize-space(.), '{label}')]]")


def count_text(drv) -> str:
    return drv.find_element(By.ID, "shown-count").text


def test_page_renders_sorts_and_filters(page, driver):
    path, plan = page
    diags = plan["diagnostics"]
    total = len(diags)
    driver.get(path.as_uri())
    assert driver.title.startswith("Gap report")
    assert driver.execute_script("return document.documentElement.className") == "js"

    # renders: every diagnostic row and both matrices, visible
    rows = visible(driver)
    assert len(rows) == total
    assert count_text(driver) == f"Showing all {total} diagnostics"
    for matrix in ("matrix-by_place", "matrix-by_partner_type"):
        table = driver.find_element(By.ID, matrix)
        assert table.is_displayed()
        body_rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(body_rows) == len(plan["outcomes"])
        assert all(r.is_displayed() for r in body_rows)
        gap = table.find_elements(By.CSS_SELECTOR, "td.n0")
        if gap:
            assert gap[0].value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")

    # sort by code: ascending, then descending
    codes = [r[1] for r in rows]
    assert codes != sorted(codes), "the default order (by severity) should not already be by code"
    th = header(driver, "Code")
    th.find_element(By.TAG_NAME, "button").click()
    assert th.get_attribute("aria-sort") == "ascending"
    assert header(driver, "Severity").get_attribute("aria-sort") is None
    assert [r[1] for r in visible(driver)] == sorted(codes)
    th.find_element(By.TAG_NAME, "button").click()
    assert th.get_attribute("aria-sort") == "descending"
    assert [r[1] for r in visible(driver)] == sorted(codes, reverse=True)

    # sort by severity: errors first, by rank rather than alphabetically
    header(driver, "Severity").find_element(By.TAG_NAME, "button").click()
    rank = {"error": 0, "warning": 1, "info": 2}
    ranks = [rank[r[0]] for r in visible(driver)]
    assert ranks == sorted(ranks)

    # filter by severity: only matching rows, and the count says so
    for severity in ("error", "warning", "info"):
        expected = sum(1 for d in diags if d["severity"] == severity)
        Select(driver.find_element(By.ID, "f-severity")).select_by_value(severity)
        shown = visible(driver)
        assert {r[0] for r in shown} <= {severity}
        assert len(shown) == expected
        assert count_text(driver) == f"Showing {expected} of {total} diagnostics"

    # filters combine: warnings of one code
    Select(driver.find_element(By.ID, "f-severity")).select_by_value("warning")
    Select(driver.find_element(By.ID, "f-code")).select_by_value("D011")
    shown = visible(driver)
    assert shown and {(r[0], r[1]) for r in shown} == {("warning", "D011")}
    assert len(shown) == sum(1 for d in diags if d["code"] == "D011")

    # a filter that matches nothing says so
    driver.find_element(By.ID, "f-search").send_keys("no such words anywhere")
    assert visible(driver) == []
    assert driver.find_element(By.ID, "no-match").is_displayed()
    assert count_text(driver) == f"Showing 0 of {total} diagnostics"

    # clear, then a free-text search
    driver.find_element(By.ID, "f-reset").click()
    assert len(visible(driver)) == total
    assert count_text(driver) == f"Showing all {total} diagnostics"
    driver.find_element(By.ID, "f-search").send_keys("LF3.9")
    shown = visible(driver)
    assert [r[1] for r in shown] == ["R002"]

    # partner filter from the "what each partner must fix" table
    driver.find_element(By.ID, "f-reset").click()
    show_kcc = driver.find_element(By.CSS_SELECTOR, "#partner-summary tr[data-partner='kcc'] button")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", show_kcc)
    show_kcc.click()
    assert Select(driver.find_element(By.ID, "f-partner")).first_selected_option.get_attribute("value") == "kcc"
    partners = driver.execute_script("""return Array.prototype.filter.call(
        document.querySelectorAll('#diagnostics tbody tr.diag'), function (r) { return r.offsetParent !== null; })
        .map(function (r) { return r.getAttribute('data-partner'); });""")
    assert partners and set(partners) == {"kcc"}

    # outcome filter
    Select(driver.find_element(By.ID, "f-partner")).select_by_value("")
    Select(driver.find_element(By.ID, "f-outcome")).select_by_value("SO1")
    outcomes = driver.execute_script("""return Array.prototype.filter.call(
        document.querySelectorAll('#diagnostics tbody tr.diag'), function (r) { return r.offsetParent !== null; })
        .map(function (r) { return r.getAttribute('data-outcomes'); });""")
    assert outcomes and all("SO1" in o.split() for o in outcomes)

    # print: filters hidden, the full table shown, shading kept
    Select(driver.find_element(By.ID, "f-severity")).select_by_value("error")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element(By.ID, "filters").is_displayed()
        assert len(visible(driver)) == total
        adjust = driver.execute_script(
            "return getComputedStyle(document.querySelector('td.n0')).getPropertyValue('print-color-adjust')")
        assert adjust == "exact"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    # nothing went wrong in the page: no script errors, no failed (network) requests
    driver.find_element(By.ID, "f-reset").click()
    severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert severe == []

    # screenshots for people to look at: the top of the page (summary and matrices) and the whole page
    driver.execute_script("window.scrollTo(0, 0)")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    for name, height in (("gap-report.png", 2800), ("gap-report-full.png", 30000)):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], height), "scale": 1}})
        (ARTEFACTS / name).write_bytes(base64.b64decode(shot["data"]))
        assert (ARTEFACTS / name).stat().st_size > 10_000
