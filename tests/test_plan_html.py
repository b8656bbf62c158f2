"""shared-delivery-plan.html, the plan's accessible HTML edition: compiled through the CLI and parsed.

It must hold every action (id, text and where it came from), strategy and indicator of plan.json, be one
self-contained page (no script, stylesheet, font or image fetched from anywhere), and carry the structure a
screen reader and a printer rely on: lang and title, a skip link to main, one h1 and no skipped heading
level, a contents nav whose links all land on headings, and real tables (caption, th scope=col in a thead,
a row header per row). The browser tests (test_accessibility_browser.py) render it and run axe-core.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import REPO, compile_dir

NAME = "shared-delivery-plan.html"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plan-html")
    _, plan = compile_dir(REPO / "inputs", tmp)
    return plan, tmp / "out"


def parse(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def text(el) -> str:
    return " ".join(el.text_content().split())


def test_every_action_strategy_and_indicator_is_there(sample):
    plan, out = sample
    page = parse(out / NAME)
    partners = {p["id"]: p["name"] for p in plan["partners"]}
    rows: dict[str, list] = {}
    for tr in page.xpath("//main//table[thead/tr/th[1][normalize-space()='ID']]/tbody/tr"):
        if text(tr.xpath("ancestor::table/thead/tr/th[2]")[0]) == "Action":
            rows.setdefault(text(tr[0]), []).append(tr)
    assert set(rows) == {a["id"] for a in plan["actions"]}
    for action in plan["actions"]:
        (tr,) = rows[action["id"]]  # set out in full exactly once
        assert tr[0].tag == "th" and tr[0].get("scope") == "row"
        paragraphs = [text(p) for p in tr[1].xpath("p")]
        assert paragraphs[0] == " ".join(action["text"].split())
        source = tr[1].xpath("p[@class='table-source']")
        assert len(source) == 1 and text(source[0]) == (
            f"Source: {partners[action['submitted_by']]}, {action['source']['path']}, "
            + (f"sheet '{action['source']['sheet']}', row {action['source']['row']}"
               if action["source"]["sheet"] else action["source"]["text"]))
    all_text = text(page)
    for strategy in plan["strategies"]:
        assert " ".join(strategy["name"].split()) in all_text, strategy["id"]
    measures = {text(tr[0]) for tr in page.xpath(
        "//main//table[thead/tr/th[2][normalize-space()='Measure']]/tbody/tr")}
    mentioned = set(re.findall(r"[A-Z]+\d+(?:\.\d+)+", all_text))
    for indicator in plan["indicators"]:
        assert indicator["id"] in measures or indicator["id"] in mentioned, indicator["id"]
    assert {i["id"] for i in plan["indicators"] if i["action_ids"]} <= measures


def test_one_self_contained_page(sample):
    _, out = sample
    data = (out / NAME).read_bytes()
    page = parse(out / NAME)
    assert data.startswith(b"<!DOCTYPE html>")
    assert not page.xpath("//script | //link | //iframe | //object | //embed")
    assert not page.xpath("//@src[not(starts-with(., 'data:'))]")
    assert not re.search(rb"url\((?!#)", data) and b"@import" not in data  # only the charts' own fragments
    external = [a.get("href") for a in page.xpath("//a[@href]") if not a.get("href").startswith("#")]
    assert all(h.startswith(("http://", "https://", "mailto:")) for h in external)


def test_structure_for_screen_readers_and_print(sample):
    plan, out = sample
    page = parse(out / NAME)
    assert page.get("lang") == "en-GB"
    assert page.findtext("head/title") == plan["system"]["plan_title"]
    skip = page.xpath("//body/*[1]")[0]
    assert skip.tag == "a" and skip.get("href") == "#main" and page.xpath("//main[@id='main']")
    assert [h.text_content() for h in page.xpath("//h1")] == [plan["system"]["plan_title"]]
    levels = [int(h.tag[1]) for h in page.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    nav = page.xpath("//nav[@class='contents']")[0]
    links = nav.xpath(".//a/@href")
    ids = set(page.xpath("//@id"))
    assert links and all(h[1:] in ids for h in links)
    chapters = [text(h) for h in page.xpath("//main/h2")]
    assert [text(a) for a in nav.xpath("./ol/li/a")] == chapters
    assert len(ids) == len(page.xpath("//@id"))  # ids unique
    for outcome in plan["outcomes"]:
        assert f"Outcome {outcome['number']}: {outcome['title']}" in chapters
    tables = page.xpath("//main//table")
    assert tables
    for table in tables:
        assert text(table.xpath("caption")[0])
        assert table.xpath("thead/tr/th") and all(th.get("scope") == "col" for th in table.xpath("thead/tr/th"))
        assert all(tr[0].tag == "th" and tr[0].get("scope") == "row" for tr in table.xpath("tbody/tr"))
        region = table.getparent()
        assert region.get("role") == "region" and region.get("tabindex") == "0"
    # short IDs and dates do not wrap
    assert page.xpath("//th[@scope='row'][@class='nw'][contains(., '-')]")
    css = page.findtext("head/style")
    assert "@media print" in css and "table-header-group" in css
    if any(d["severity"] == "error" for d in plan["diagnostics"]):
        assert text(page.xpath("//div[@class='banner']")[0]).startswith("Draft")


def test_byte_identical_across_two_compiles(sample, tmp_path):
    _, out = sample
    _, _ = compile_dir(REPO / "inputs", tmp_path)
    assert (tmp_path / "out" / NAME).read_bytes() == (out / NAME).read_bytes()


def test_charts_are_inline_svg_in_the_html_editions(sample):
    """Every trend chart of the Word documents is an inline SVG in the HTML editions, titled with the same
    alt text (the figures and the direction), and the progress report has an HTML edition."""
    import re

    _, out = sample
    for name in ("shared-delivery-plan.html", "progress-report.html"):
        page = (out / name).read_text(encoding="utf-8")
        svgs = re.findall(r'<svg[^>]*role="img"[^>]*>\s*<title>([^<]+)</title>', page)
        assert svgs, f"{name} has no inline chart"
        assert "data:image/png" not in page, f"{name} still embeds a PNG chart"
        assert all("Values" in t or "values" in t or re.search(r"\d", t) for t in svgs)
