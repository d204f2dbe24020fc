"""Chinese, Japanese and Thai text: the script mismatch is detected, and
`--language zh` tokenizes offline."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator import api
from annotator.cli import cli
from annotator.core.errors import PipelineError
from annotator.core.scripts import unsegmented_language

ZH = "富士康将在威斯康星州投资100亿美元，郭台铭周一表示。🎉 Foxconn的工厂"


@pytest.mark.parametrize(
    "text, language, expected",
    [
        (ZH, "en", "zh"),
        (ZH, "zh", None),
        ("東京でラーメンを食べた。", "en", "ja"),
        ("東京でラーメンを食べた。", "zh", "ja"),
        ("ภาษาไทยง่ายมาก", "en", "th"),
        ("Foxconn invests in 威斯康星 and Ohio, said Zoë Ørsted.", "en", None),
        ("1234 !!", "en", None),
    ],
)
def test_the_script_a_project_language_does_not_segment_is_named(text, language, expected):
    assert unsegmented_language(text, language) == expected


def _zh_file(tmp_path):
    # 富士康 ORG, 威斯康星州 GPE, 100亿美元 MONEY, 郭台铭 PERSON: each inside one English "token"
    spans = [[0, 3, "ORG"], [5, 10, "GPE"], [12, 18, "MONEY"], [19, 22, "PERSON"]]
    path = tmp_path / "zh.jsonl"
    path.write_text(json.dumps({"text": ZH, "label": spans}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_chinese_in_a_zh_project_tokenizes_per_character_offline(make_project, tmp_path):
    project = make_project(language="zh")
    report = api.import_files(project, [_zh_file(tmp_path)], annotator="ann")
    assert report.warnings() == [] and report.alignment.tokens_split == 0
    (doc_id,) = project.document_ids()
    document = project.document(doc_id)
    assert [ZH[t.start : t.end] for t in document.tokens[:6]] == ["富", "士", "康", "将", "在", "威"]
    spans = sorted((ZH[s.start : s.end], s.label) for s in project.annotation_set(doc_id, "ann").spans.values())
    assert spans == [("100亿美元", "MONEY"), ("威斯康星州", "GPE"), ("富士康", "ORG"), ("郭台铭", "PERSON")]


def test_chinese_in_an_english_project_imports_and_says_how_to_fix_it(make_project, tmp_path):
    project = make_project()
    report = api.import_files(project, [_zh_file(tmp_path)], preannotate="none", annotator="ann")
    assert report.spans == 4
    assert report.warnings() == [
        "1 documents are mostly in a script the project's language (en) does not split into words "
        "(a whole phrase becomes one token); for zh text make a project with `annotator init PROJECT --language zh`"
    ]


def test_the_cli_prints_the_warning(make_project, tmp_path):
    project = make_project()
    project.close()
    result = CliRunner().invoke(cli, ["import", str(project.path), str(_zh_file(tmp_path)), "--preannotate", "none"])
    assert result.exit_code == 0, result.output
    assert "warning: 1 documents are mostly in a script the project's language (en)" in result.output


@pytest.mark.parametrize(
    "language, needs",
    [("ja", "needs SudachiPy (pip install sudachipy sudachidict_core)"), ("qq", "spaCy has no language 'qq'")],
)
def test_a_language_without_an_offline_tokenizer_is_refused_at_init(tmp_path, language, needs):
    pytest.importorskip("spacy")
    if language == "ja":
        try:
            import sudachipy  # noqa: F401
            pytest.skip("SudachiPy is installed here")
        except ImportError:
            pass
    with pytest.raises(PipelineError, match=needs.replace("(", r"\(").replace(")", r"\)")):
        api.init_project(tmp_path / "p.annotator", language=language)
    assert not (tmp_path / "p.annotator").exists()


def test_the_quick_search_finds_exactly_the_characters_of_the_ranges():
    from annotator.core.scripts import _ANY_UNSPACED, _RANGES, script_of

    edges = [c for low, high, _ in _RANGES for c in (low - 1, low, high, high + 1)]
    assert [bool(_ANY_UNSPACED.search(chr(c))) for c in edges] == [script_of(chr(c)) is not None for c in edges]
