from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import ProjectError, SchemaVersionError
from annotator.core.model import AnnotationSet, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.ops.merging import merge_projects
from annotator.store.project import Project
from tests.conftest import table_dump

TEXT1 = "Foxconn and OpenAI signed a deal in Ohio ."
TEXT2 = "SoftBank invests $2 billion in Tokyo ."
TEXT3 = "Nvidia partners with Dell ."

SCHEME = {
    "name": "news",
    "labels": [{"name": "ORG", "color": "#7aecec", "key": "o"}, {"name": "GPE", "color": "#feca74", "key": "g"},
               {"name": "MONEY", "color": "#e4e7d2", "key": "m"}],
    "relations": [{"name": "partner", "head": ["ORG"], "child": ["ORG"], "symmetric": True},
                  {"name": "location", "head": ["ORG"], "child": ["GPE"]}],
}

T0 = "2024-05-01T17:30:00.000000+00:00"
T1 = "2024-05-02T09:00:00.000000+00:00"


def tokens(text: str) -> list[Token]:
    out, pos = [], 0
    for word in text.split(" "):
        out.append(Token(pos, pos + len(word), True))
        pos += len(word) + 1
    return out


def add_doc(project: Project, text: str, **meta) -> int:
    with project.transaction():
        doc_id, _ = project.add_document(
            text=text, hash=text_hash(text), title=text.split(" ")[0], tokens=tokens(text), meta=meta,
            source=f"{text.split(' ')[0].lower()}.txt:1",
        )
    return doc_id


def span(text: str, word: str, label: str, sid: int) -> Span:
    start = text.index(word)
    return Span(sid, start, start + len(word), label)


def put_set(project: Project, doc_id: int, owner: str, spans: list[Span], relations: list[Relation] = (),
            *, status: str = "done", at: str = T0, seconds: float = 12.5) -> AnnotationSet:
    """Write a set with a chosen edit time, as another annotator's file would hold it."""
    aset = AnnotationSet.build(doc_id, owner, spans, relations, status=status)
    aset.updated_at, aset.updated_by, aset.seconds = at, owner, seconds
    return project.copy_set(doc_id, aset)


def keys(project: Project, doc_id: int, owner: str) -> tuple[list, list]:
    """A set's spans and relations by content, independent of ids."""
    aset = project.annotation_set(doc_id, owner)
    assert aset is not None
    spans = sorted((s.start, s.end, s.label) for s in aset.spans.values())
    rels = sorted(
        ((aset.spans[r.head].start, aset.spans[r.head].label), (aset.spans[r.child].start, aset.spans[r.child].label), r.label)
        for r in aset.relations.values()
    )
    return spans, rels


@pytest.fixture
def pair(make_project):
    """A target project and another annotator's project, both with TEXT1."""
    target = make_project("reviewer.annotator", scheme=Scheme.from_dict(SCHEME))
    other = make_project("bob.annotator", scheme=Scheme.from_dict(SCHEME))
    return target, other


def test_merge_adds_documents_and_sets(pair):
    target, other = pair
    t1 = add_doc(target, TEXT1)
    put_set(target, t1, "alice", [span(TEXT1, "Foxconn", "ORG", 1)])
    o1 = add_doc(other, TEXT1)
    o2 = add_doc(other, TEXT2, url="https://example.com/sb")
    put_set(other, o1, "bob", [span(TEXT1, "Foxconn", "ORG", 1), span(TEXT1, "Ohio", "GPE", 2)],
            [Relation(1, 1, 2, "location")], at=T1, seconds=30.0)
    put_set(other, o2, "bob", [span(TEXT2, "SoftBank", "ORG", 1)], status="in_progress", at=T1)
    put_set(other, o2, "model:rules", [span(TEXT2, "Tokyo", "GPE", 1)], status="new")

    report = merge_projects(target, [other.path])

    assert report.lines() == [
        f"Merged 1 file into {target.path}: 1 document added, 3 sets added, 0 replaced by a later edit, "
        "0 kept where this project's edit is later, 0 already identical"
    ]
    assert report.changed is True
    assert target.document_hashes() == {text_hash(TEXT1): t1, text_hash(TEXT2): t1 + 1}
    added = target.document_row(t1 + 1)
    assert (added["text"], added["title"], added["meta"], added["source"]) == (
        TEXT2, "SoftBank", {"url": "https://example.com/sb"}, "softbank.txt:1"
    )
    assert added["tokens"] == tuple(tokens(TEXT2))
    assert target.set_rows() == [
        (t1, "alice", "done"), (t1, "bob", "done"), (t1 + 1, "bob", "in_progress"), (t1 + 1, "model:rules", "new")
    ]
    bob = target.annotation_set(t1, "bob")
    assert (bob.status, bob.updated_at, bob.updated_by, bob.seconds) == ("done", T1, "bob", 30.0)
    assert keys(target, t1, "bob") == ([(0, 7, "ORG"), (36, 40, "GPE")], [((0, "ORG"), (36, "GPE"), "location")])
    assert keys(target, t1, "alice") == ([(0, 7, "ORG")], [])
    assert keys(target, t1 + 1, "model:rules") == ([(31, 36, "GPE")], [])


def test_relations_are_repointed_to_the_new_span_ids(pair):
    target, other = pair
    t1 = add_doc(target, TEXT1)
    put_set(target, t1, "alice", [span(TEXT1, w, "ORG", i) for i, w in enumerate(["Foxconn", "OpenAI", "deal"], 1)])
    o1 = add_doc(other, TEXT1)
    put_set(other, o1, "bob",
            [span(TEXT1, "Ohio", "GPE", 1), span(TEXT1, "OpenAI", "ORG", 2), span(TEXT1, "Foxconn", "ORG", 3)],
            [Relation(1, 3, 2, "partner"), Relation(2, 2, 1, "location")])
    source = other.annotation_set(o1, "bob")

    merge_projects(target, [other.path])

    bob = target.annotation_set(t1, "bob")
    assert set(bob.spans).isdisjoint(source.spans)  # new ids, so a stale id would show
    by_id = {s.id: (s.start, s.end, s.label) for s in bob.spans.values()}
    assert sorted((by_id[r.head], by_id[r.child], r.label) for r in bob.relations.values()) == [
        ((0, 7, "ORG"), (12, 18, "ORG"), "partner"),
        ((12, 18, "ORG"), (36, 40, "GPE"), "location"),
    ]


def test_conflicts_are_resolved_by_the_later_edit(pair):
    target, other = pair
    t1, t2, t3 = (add_doc(target, t) for t in (TEXT1, TEXT2, TEXT3))
    o1, o2, o3 = (add_doc(other, t) for t in (TEXT1, TEXT2, TEXT3))
    # doc 1: the other file's edit is later and wins
    put_set(target, t1, "alice", [span(TEXT1, "Foxconn", "ORG", 1)], at=T0)
    put_set(other, o1, "alice", [span(TEXT1, "Foxconn", "ORG", 1), span(TEXT1, "Ohio", "GPE", 2)], at=T1)
    # doc 2: this project's edit is later and stays
    put_set(target, t2, "alice", [span(TEXT2, "Tokyo", "GPE", 1)], status="reviewed", at=T1)
    put_set(other, o2, "alice", [span(TEXT2, "SoftBank", "ORG", 1)], at=T0)
    # doc 3: same contents, other times: nothing to do
    put_set(target, t3, "alice", [span(TEXT3, "Dell", "ORG", 1)], at=T0)
    put_set(other, o3, "alice", [span(TEXT3, "Dell", "ORG", 7)], at=T1, seconds=99.0)

    report = merge_projects(target, [other.path])

    assert report.lines() == [
        f"Merged 1 file into {target.path}: 0 documents added, 0 sets added, 1 replaced by a later edit, "
        "1 kept where this project's edit is later, 1 already identical",
        f"Conflicts with {other.path}:",
        f"  doc {text_hash(TEXT1)[:8]} Foxconn, owner alice: kept the other file's edit of "
        "2024-05-02 09:00:00 UTC over 2024-05-01 17:30:00 UTC",
        f"  doc {text_hash(TEXT2)[:8]} SoftBank, owner alice: kept this project's edit of "
        "2024-05-02 09:00:00 UTC over 2024-05-01 17:30:00 UTC",
    ]
    assert keys(target, t1, "alice")[0] == [(0, 7, "ORG"), (36, 40, "GPE")]
    assert target.annotation_set(t1, "alice").updated_at == T1
    assert keys(target, t2, "alice")[0] == [(31, 36, "GPE")]
    assert target.annotation_set(t2, "alice").status == "reviewed"
    assert target.annotation_set(t3, "alice").seconds == 12.5


def test_a_status_change_alone_is_a_conflict(pair):
    target, other = pair
    t1, o1 = add_doc(target, TEXT1), add_doc(other, TEXT1)
    put_set(target, t1, "alice", [span(TEXT1, "Foxconn", "ORG", 1)], status="in_progress", at=T0)
    put_set(other, o1, "alice", [span(TEXT1, "Foxconn", "ORG", 1)], status="done", at=T1)
    report = merge_projects(target, [other.path])
    assert (report.sets_replaced, report.sets_identical) == (1, 0)
    assert target.annotation_set(t1, "alice").status == "done"


def test_replacing_a_set_clears_its_journal(pair):
    from annotator.core import edits

    target, other = pair
    t1, o1 = add_doc(target, TEXT1), add_doc(other, TEXT1)
    target.apply(t1, "alice", edits.AddSpan(span(TEXT1, "Foxconn", "ORG", 0)))
    assert len(target.history(t1, "alice")[0]) == 1
    put_set(other, o1, "alice", [span(TEXT1, "Ohio", "GPE", 1)], at="2999-01-01T00:00:00+00:00")
    merge_projects(target, [other.path])
    assert target.history(t1, "alice") == ([], [])
    assert keys(target, t1, "alice")[0] == [(36, 40, "GPE")]


def test_merging_twice_changes_nothing(pair, make_project):
    target, other = pair
    third = make_project("carol.annotator", scheme=Scheme.from_labels(["ORG", "LAW"]))
    t1, o1, c1 = add_doc(target, TEXT1), add_doc(other, TEXT1), add_doc(third, TEXT3)
    put_set(target, t1, "alice", [span(TEXT1, "Foxconn", "ORG", 1)], at=T0)
    put_set(other, o1, "alice", [span(TEXT1, "OpenAI", "ORG", 1)], at=T1)
    put_set(other, add_doc(other, TEXT2), "bob", [span(TEXT2, "SoftBank", "ORG", 1)])
    put_set(third, c1, "carol", [span(TEXT3, "Nvidia", "LAW", 1), span(TEXT3, "Dell", "ORG", 2)],
            [Relation(1, 1, 2, "acquired")])

    first = merge_projects(target, [other.path, third.path])
    dump = table_dump(target.path)
    second = merge_projects(target, [other.path, third.path])

    assert (first.documents_added, first.sets_added, first.sets_replaced) == (2, 2, 1)
    assert (first.labels_added, first.relation_types_added) == (["LAW"], ["acquired"])
    assert table_dump(target.path) == dump
    assert second.changed is False
    assert (second.sets_identical, second.conflicts, second.labels_added) == (3, [], [])


def test_labels_the_other_sets_use_are_added_to_the_scheme(pair, make_project):
    target, _ = pair
    law = {"name": "legal", "labels": [{"name": "LAW", "color": "#ff8197", "key": "o"}]}
    other = make_project("dora.annotator", scheme=Scheme.from_dict(law))
    put_set(other, add_doc(other, TEXT3), "dora", [span(TEXT3, "Nvidia", "LAW", 1)])

    report = merge_projects(target, [other.path])

    assert report.lines()[1] == "Added to the scheme: labels LAW"
    label = target.scheme.label("LAW")
    assert (label.color, label.key) == ("#ff8197", "1")  # "o" is ORG's, so LAW gets a free key
    assert Project.open(target.path).scheme.label_names == ("ORG", "GPE", "MONEY", "LAW")


def _not_sqlite(path: Path) -> None:
    path.write_text("id,text\n1,hello\n", encoding="utf-8")


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.commit()
    conn.close()


def _newer_project(path: Path) -> None:
    Project.create(path, scheme=Scheme.from_dict(SCHEME)).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO migrations (version, name, applied_at) VALUES (99, 'future', '2030-01-01')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make_bad", "error", "message"),
    [
        (None, ProjectError, "{path} does not exist; check the file name"),
        (_not_sqlite, ProjectError, "{path} is not an annotator project (not an SQLite file)"),
        (_foreign_sqlite, ProjectError, "{path} is an SQLite file but not an annotator project"),
        (_newer_project, SchemaVersionError,
         "{path} has schema version 99, but this annotator understands up to 2. Upgrade annotator to read it."),
    ],
    ids=["missing", "not-sqlite", "foreign-sqlite", "newer-schema"],
)
def test_bad_files_leave_the_target_unchanged(pair, tmp_path, make_bad, error, message):
    target, other = pair
    put_set(target, add_doc(target, TEXT1), "alice", [span(TEXT1, "Foxconn", "ORG", 1)])
    put_set(other, add_doc(other, TEXT2), "bob", [span(TEXT2, "SoftBank", "ORG", 1)])
    bad = tmp_path / "bad.annotator"
    if make_bad is not None:
        make_bad(bad)
    before = table_dump(target.path)
    bad_bytes = bad.read_bytes() if bad.exists() else None

    with pytest.raises(error) as info:
        merge_projects(target, [other.path, bad])

    assert info.value.message == message.format(path=bad)
    assert table_dump(target.path) == before
    assert (bad.read_bytes() if bad.exists() else None) == bad_bytes
    assert target.scheme.label_names == ("ORG", "GPE", "MONEY")


def test_merging_a_project_into_itself_is_refused(pair):
    target, _ = pair
    with pytest.raises(ProjectError, match="is the project being merged into"):
        merge_projects(target, [target.path])
    with pytest.raises(ProjectError, match="name at least one project file"):
        merge_projects(target, [])


def test_other_files_are_only_read(pair, tmp_path):
    target, other = pair
    put_set(other, add_doc(other, TEXT2), "bob", [span(TEXT2, "SoftBank", "ORG", 1)])
    other.close()
    copy = tmp_path / "copy.annotator"
    shutil.copy(other.path, copy)
    before = copy.read_bytes()
    merge_projects(target, [copy])
    assert copy.read_bytes() == before


# -- a target that does not exist yet ---------------------------------------------
def team(make_project, scheme: dict = SCHEME, **overrides: dict) -> list[Path]:
    """alice's and bob's project files with TEXT1 labelled, closed; ``overrides``
    gives one of them another scheme."""
    paths = []
    for name in ("alice", "bob"):
        project = make_project(f"{name}.annotator", scheme=Scheme.from_dict(overrides.get(name, scheme)))
        put_set(project, add_doc(project, TEXT1), name, [span(TEXT1, "Foxconn", "ORG", 1)], at=T1)
        project.close()
        paths.append(project.path)
    return paths


def test_merge_creates_the_target_with_the_scheme_the_files_share(make_project, tmp_path):
    from click.testing import CliRunner

    from annotator.cli import cli

    alice, bob = team(make_project)
    review = tmp_path / "review.annotator"
    result = CliRunner().invoke(cli, ["merge", str(review), str(alice), str(bob)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Created {review} with the scheme 'news' the merged files share",
        f"Merged 2 files into {review}: 1 document added, 2 sets added, 0 replaced by a later edit, "
        "0 kept where this project's edit is later, 0 already identical",
    ]
    with Project.open(review) as merged:
        assert merged.scheme.to_dict() == Scheme.from_dict(SCHEME).to_dict()
        assert merged.language == "en"
        assert merged.set_rows() == [(1, "alice", "done"), (1, "bob", "done")]


@pytest.mark.parametrize("bob_scheme, how", [
    ({**SCHEME, "labels": SCHEME["labels"][:2] + [{"name": "DATE", "color": "#bfe1d9"}]},
     "labels only the first has: MONEY; labels only the second has: DATE"),
    ({**SCHEME, "relations": SCHEME["relations"][:1]}, "relation types only the first has: location"),
    ({**SCHEME, "name": "news-2"}, "different name"),
])
def test_merge_into_a_new_target_refuses_files_whose_schemes_differ(make_project, tmp_path, bob_scheme, how):
    from annotator.ops.merging import merge_into_new

    alice, bob = team(make_project, bob=bob_scheme)
    review = tmp_path / "review.annotator"
    with pytest.raises(ProjectError) as caught:
        merge_into_new(review, [alice, bob])
    assert caught.value.message == (
        f"{alice} and {bob} cannot be merged into a new project: their schemes differ: {how}. Create the "
        "project first with the scheme it should have (annotator init PROJECT --scheme FILE), "
        "then merge into it; labels the files use that the scheme lacks are added"
    )
    assert not review.exists()


def test_a_missing_file_creates_no_target(make_project, tmp_path):
    from annotator.ops.merging import merge_into_new

    alice, bob = team(make_project)
    review = tmp_path / "review.annotator"
    with pytest.raises(ProjectError) as caught:
        merge_into_new(review, [alice, tmp_path / "carol.annotator", bob])
    assert caught.value.message == f"{tmp_path / 'carol.annotator'} does not exist; check the file name"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("review")]


def test_a_models_score_for_a_whole_set_comes_along(make_project):
    theirs = make_project("theirs.annotator")
    doc = add_doc(theirs, TEXT2)
    theirs.write_set(doc, "model:news", [span(TEXT2, "SoftBank", "ORG", 1)], status="done", score=0.37)
    ours = make_project("ours.annotator")
    merge_projects(ours, [theirs.path])
    [merged] = ours.document_ids()
    assert ours.annotation_set(merged, "model:news").score == 0.37
    assert ours.load_sets([merged], ["model:news"])[merged]["model:news"].score == 0.37
