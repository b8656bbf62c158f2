"""Property-based fuzzing of `read_submission` (hypothesis, derandomized so CI is stable).

Three sources of documents: packages generated from random paragraphs, tables and cells; the
sample inputs with one XML part mutated (slices deleted, duplicated, stray markup inserted) and
re-zipped, so the XML readers see the damage rather than a CRC error; and the sample inputs'
raw bytes flipped and cut. For every one: the reader returns (never raises), the accounting
balances, an unreadable file carries exactly one I001, and no unexpected exception reached the
readers' last-resort handler (whose message says "compiler fault").
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.readers import read_submission
from compiler.ruleset import load_rules
from compiler.vocabulary import Vocabulary
from tests.fixtures.ooxml import bullet, docx_bytes, heading, p, tbl, xlsx_bytes
from tests.robustness import RULES, problems_of, sample_files
from tests.robustness.hostile import parts_of, zip_of

pytestmark = pytest.mark.robustness

VOCAB = Vocabulary(load_rules(RULES))
SAMPLES = {p.name: p.read_bytes() for p in sample_files() if p.suffix in (".docx", ".xlsx")}
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

WORDS = ["Outcome", "1", "SO2", "Action", "Lead", "Partners", "Indicator", "LF1.1", "Timescale", "March 2026",
         "2025/26", "Q3", "Kent County Council", "NHS", "%", "Baseline", "Target", "Strategy", "", " ", ":", "-",
         "=SUM(A1)", "@", "\t", "é", "—", "\u200b", "OUTCOME 3 — Healthy lives", "Enabler", "E1", "n/a", "TBC"]
text = st.lists(st.sampled_from(WORDS), min_size=0, max_size=6).map(" ".join)
cell = st.one_of(text, st.none(), st.integers(-10**6, 10**9), st.floats(allow_nan=True, allow_infinity=False),
                 st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)))


@st.composite
def documents(draw) -> bytes:
    blocks = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["heading", "p", "bullet", "table"]))
        if kind == "heading":
            blocks.append(heading(draw(text) or "Outcome 1", draw(st.integers(1, 3))))
        elif kind == "p":
            blocks.append(p(draw(text)))
        elif kind == "bullet":
            blocks.append(bullet(draw(text), draw(st.integers(0, 2))))
        else:
            cols = draw(st.integers(1, 5))
            rows = draw(st.lists(st.lists(text, min_size=cols, max_size=cols), min_size=1, max_size=5))
            blocks.append(tbl(rows, header_rows=draw(st.integers(0, 1))))
    return docx_bytes("".join(blocks))


@st.composite
def workbooks(draw) -> bytes:
    sheets = {}
    for i in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(["Logframe", "Actions", "Data", "Sheet", "Strategies"])) + str(i)
        cols = draw(st.integers(1, 6))
        sheets[name] = draw(st.lists(st.lists(cell, min_size=cols, max_size=cols), min_size=0, max_size=8))
    return xlsx_bytes(sheets, shared_strings=draw(st.booleans()))


STRAY = [b"<w:p>", b"</w:tbl>", b"<w:tc>", b"&amp;", b"&bogus;", b"<", b">", b"\x00", b"\xff", b"<row r=\"0\">",
         b"<c r=\"ZZZZ99999999\" t=\"s\"><v>99999</v></c>", b"<v>-1</v>", b"t=\"s\"", b"<mergeCell ref=\"A1:XFD1\"/>",
         b'<w:gridSpan w:val="999"/>', b'<w:vMerge w:val="restart"/>', b"r:id=\"rId999\""]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLES)))
    parts = parts_of(SAMPLES[name])
    index = draw(st.integers(0, len(parts) - 1))
    part_name, data = parts[index]
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        a = draw(st.integers(0, len(data) - 1))
        b = draw(st.integers(a, min(len(data), a + 400)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "replace-digits"]))
        if op == "delete":
            data = data[:a] + data[b:]
        elif op == "duplicate":
            data = data[:b] + data[a:b] + data[b:]
        elif op == "insert":
            data = data[:a] + draw(st.sampled_from(STRAY)) + data[a:]
        else:
            data = data[:a] + bytes(ord("9") if 48 <= c <= 57 else c for c in data[a:b]) + data[b:]
    parts[index] = (part_name, data)
    return name, zip_of(parts)


@st.composite
def damaged_bytes(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[name])
    for _ in range(draw(st.integers(1, 16))):
        i = draw(st.integers(0, len(data) - 1))
        data[i] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return name, bytes(data)


def _check(rel: str, data: bytes) -> None:
    rec = read_submission(rel, data, VOCAB)
    assert problems_of(rec) == []


@FUZZ
@given(documents())
def test_generated_word_documents(data):
    _check("fuzz/generated.docx", data)


@FUZZ
@given(workbooks())
def test_generated_workbooks(data):
    _check("fuzz/generated.xlsx", data)


@FUZZ
@given(mutated())
def test_samples_with_a_mutated_part(case):
    name, data = case
    _check(f"fuzz/{name}", data)


@FUZZ
@given(damaged_bytes())
def test_samples_with_damaged_bytes(case):
    name, data = case
    _check(f"fuzz/{name}", data)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from(["x.docx", "x.xlsx", "x.docm", "x.pdf", "x"]))
def test_arbitrary_bytes(data, rel):
    _check(rel, data)
