"""`sdp extract`: the parts of the sample plan on one agenda item, and nothing unrelated."""

from __future__ import annotations

import json
import shutil

import docx
import pytest

from compiler.a11y import lint_docx
from compiler.blocks import Document, ListItem, Text, table
from compiler.extract import Terms, found_terms, topic_terms
from compiler.ruleset import RulesError, load_rules
from compiler.writers.markdown import render_markdown
from tests.conftest import REPO, run_sdp

AS_OF = "2024-04-02"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("extract") / "out"
    proc = run_sdp("compile", str(REPO / "inputs"), "--rules", str(REPO / "rules"), "-o", str(out), "--as-of", AS_OF,
                   "--exit-zero", "--only", "plan")
    assert proc.returncode == 0, proc.stderr
    return {"out": out, "plan": json.loads((out / "plan.json").read_text(encoding="utf-8"))}


def extract(sample, tmp_path, *args: str) -> dict:
    proc = run_sdp("extract", *args, "--plan", str(sample["out"]), "--rules", str(REPO / "rules"),
                   "-o", str(tmp_path / "extract.docx"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_obesity_finds_the_healthy_weight_work_and_nothing_else(sample, tmp_path):
    got = extract(sample, tmp_path, "--topic", "obesity")
    assert got["actions"] == ["hcp-medway-swale-03", "hcp-west-kent-01", "kcc-01"]
    assert got["indicators"] == ["LF1.2", "LF1.3"]  # the healthy-weight measures
    assert got["linked_indicators"] == ["LF1.4", "LF3.2"]  # what those actions also report against
    assert got["strategies"] == ["kent-healthy-weight-strategy"]
    assert got["linked_strategies"] == ["medway-joint-health-and-wellbeing-strategy"]
    # physical activity and healthy lifestyles are delivered under the Healthy Weight Strategy but are
    # not themselves about weight: the strategy does not sweep them in
    assert not {"CCC3", "EK-06"} & set(got["actions"])
    assert got["why"]["hcp-west-kent-01"] == ["its wording uses 'healthy weight', 'weight management'"]
    for synonym in ("overweight", "Healthy Weight", "OBESE"):
        assert extract(sample, tmp_path, "--topic", synonym)["actions"] == got["actions"], synonym


def test_obesity_document_shows_actions_milestones_and_measures(sample, tmp_path):
    extract(sample, tmp_path, "--topic", "obesity")
    data = (tmp_path / "extract.docx").read_bytes()
    assert lint_docx(data, path="extract.docx") == []
    d = docx.Document(str(tmp_path / "extract.docx"))
    actions, strategies, measures = d.tables
    assert [r.cells[0].text for r in actions.rows] == ["ID", "hcp-medway-swale-03", "hcp-west-kent-01", "kcc-01"]
    assert "Lead: Kent County Council" in actions.rows[2].cells[2].text
    assert "31 July 2024: Family weight management contract awarded – July 2024" in actions.rows[2].cells[3].text
    assert "LF1.2 Reception: prevalence of healthy weight" in actions.rows[2].cells[4].text
    assert [c.text for c in measures.rows[0].cells] == ["ID", "Measure", "Baseline", "Latest", "Target", "Trend",
                                                       "Why shown"]
    lf12 = [c.text for c in measures.rows[1].cells]
    # the latest value is the data update's 2023/24 figure, newer than the logframe's (issue 9)
    assert lf12[:5] == ["LF1.2", "Reception: prevalence of healthy weight", "77.1% (2022/23)", "77.4% (2023/24)",
                        "77.5% (2024/25)\n78% (2025/26)"]
    assert lf12[5].startswith("2019/20 76.8%; 2020/21 not available (*); 2021/22 75.2%")
    assert strategies.rows[1].cells[0].text == "Kent Healthy Weight Strategy"
    md = (tmp_path / "extract.md").read_text(encoding="utf-8")
    assert "| hcp-west-kent-01 | Roll out the West Kent healthy weight programme" in md
    assert "'obesity'" in md  # the rule that selected the actions is in the paper itself


def test_other_topics_use_their_synonyms(sample, tmp_path):
    assert extract(sample, tmp_path, "--topic", "falls")["actions"] == ["EK-07", "ASC-03"]  # frailty virtual ward
    assert extract(sample, tmp_path, "--topic", "tobacco")["actions"] == ["EK-01", "EK-04", "hcp-medway-swale-01",
                                                                          "kcc-05", "MC-03"]
    # a topic the rules do not list is looked for as written, as whole words; an action whose measure
    # is on the topic is on it (the plan says it moves that measure)
    reablement = extract(sample, tmp_path, "--topic", "reablement")
    assert reablement["actions"] == ["hcp-dgs-4", "ASC-04", "MC-10"]
    assert reablement["why"]["hcp-dgs-4"] == ["it names the measure LF5.6"]
    assert extract(sample, tmp_path, "--topic", "reable")["actions"] == []


def test_partner_gets_what_it_leads_or_supports(sample, tmp_path):
    plan = sample["plan"]
    got = extract(sample, tmp_path, "--partner", "khg")
    expected = [a["id"] for a in plan["actions"] if a["lead_id"] == "khg" or "khg" in a["partner_ids"]]
    assert got["actions"] == expected
    assert set(expected) >= {"H1", "H2", "H3", "CCC1", "MC-06"}
    assert got["strategies"] == [s["id"] for s in plan["strategies"] if s["owner_id"] == "khg"]
    assert got["indicators"] == [i["id"] for i in plan["indicators"] if i["owner_id"] == "khg"]


def test_place_gets_its_actions_and_those_within_it(sample, tmp_path):
    got = extract(sample, tmp_path, "--place", "hcp-east-kent")
    assert got["actions"] == ["CCC1", "CCC2", "CCC3", "EK-01", "EK-02", "EK-03", "EK-04", "EK-05", "EK-06", "EK-07",
                              "EK-08"]  # Canterbury lies within East Kent; system-wide actions are not listed
    assert got["strategies"] == got["indicators"] == []  # nothing is in a place of its own accord
    assert extract(sample, tmp_path, "--place", "medway")["actions"] == [f"MC-{n:02d}" for n in range(1, 12)]


def test_filters_combine(sample, tmp_path):
    assert extract(sample, tmp_path, "--topic", "smoking", "--place", "hcp-east-kent")["actions"] == ["EK-01", "EK-04"]
    assert extract(sample, tmp_path, "--topic", "smoking", "--outcome", "SO1")["actions"] == ["EK-01", "MC-03"]
    assert extract(sample, tmp_path, "--partner", "medway-council", "--outcome", "SO3.1")["actions"] == []


def test_byte_identical_and_the_same_when_compiling_first(sample, tmp_path):
    outputs = []
    for n in (1, 2):
        proc = run_sdp("extract", "--topic", "obesity", "--plan", str(sample["out"] / "plan.json"),
                       "--rules", str(REPO / "rules"), "-o", str(tmp_path / f"e{n}.docx"))
        assert proc.returncode == 0, proc.stderr
        outputs.append(((tmp_path / f"e{n}.docx").read_bytes(), (tmp_path / f"e{n}.md").read_bytes()))
    proc = run_sdp("extract", "--topic", "obesity", "--compile", "--inputs", str(REPO / "inputs"),
                   "--rules", str(REPO / "rules"), "--as-of", AS_OF, "-o", str(tmp_path / "e3.docx"))
    assert proc.returncode == 0, proc.stderr
    outputs.append(((tmp_path / "e3.docx").read_bytes(), (tmp_path / "e3.md").read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.parametrize("args, message", [
    ((), "say what to extract"),
    (("--partner", "kgh"), "did you mean 'khg'"),
    (("--place", "east-kent"), "no place 'east-kent'"),
    (("--topic", "obesity", "--plan", "/nonexistent/plan.json"), "--plan"),
])
def test_bad_arguments_exit_2(sample, tmp_path, args, message):
    if "--plan" not in args:
        args = (*args, "--plan", str(sample["out"]))
    proc = run_sdp("extract", *args, "-o", str(tmp_path / "x.docx"))
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.docx").exists()


def test_topic_terms_match_whole_words_only():
    rules = load_rules(REPO / "rules")
    falls = topic_terms("frailty", rules.topics)
    assert falls.topics == ("Falls and frailty",) and "falls" in falls.terms
    assert found_terms(falls, "Funding shortfalls in community services") == []
    assert found_terms(falls, "A community falls response") == ["falls"]
    smoking = topic_terms("smoking", rules.topics)
    assert found_terms(smoking, "Support for smokers in mental health wards") == ["smoker*"]
    assert found_terms(Terms("café", (), ("crisis café",)), "A crisis cafe in Sittingbourne") == ["crisis café"]
    assert topic_terms("fuel", rules.topics).terms == ("fuel",)  # part of a term is not the topic


def test_rules_validate_topics(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(REPO / "rules", folder)
    (folder / "topics.toml").write_text(
        '[[topic]]\nname = "Weight"\nterms = ["obesity", "obe*ity"]\n'
        '[[topic]]\nname = "Other"\nterms = ["Obesity", "--"]\nsynonyms = []\n'
        '[[topic]]\nname = "Empty"\nterms = []\n', encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules(folder)
    problems = "\n".join(caught.value.problems)
    assert "topics.toml: topic[1].synonyms: unknown key" in problems
    assert "'obe*ity': '*' may only end a term" in problems
    assert "'Obesity' is also a term of topic 'Weight'" in problems
    assert "'--' has no letters or digits" in problems
    assert "topic 'Empty' lists no terms" in problems
    assert len(load_rules(REPO / "tests" / "fictional" / "rules").topics) == 4
    (folder / "topics.toml").unlink()
    assert load_rules(folder).topics == []  # optional: topics are then looked for as written


def test_markdown_renderer_escapes_what_partners_wrote():
    doc = Document("A *title*")
    doc.heading("Heading | one", 1)
    doc.para("1. not a list, a # not a heading, a_b")
    doc.para((Text("bold", bold=True), Text(" and "), Text("a link", link="https://example.org/a b")))
    doc.blocks.append(ListItem((Text("first"),)))
    doc.blocks.append(ListItem((Text("second"),)))
    doc.blocks.append(table(["A|B", "C"], [["x | y", ["line 1", "line 2"]]]))
    assert render_markdown(doc).decode() == (
        "# A \\*title\\*\n\n"
        "## Heading \\| one\n\n"
        "1\\. not a list, a \\# not a heading, a\\_b\n\n"
        "**bold** and [a link](https://example.org/a%20b)\n\n"
        "- first\n- second\n\n"
        "| A\\|B | C |\n| --- | --- |\n| x \\| y | line 1<br>line 2 |\n")
