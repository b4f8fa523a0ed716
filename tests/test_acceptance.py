"""Issue 2 acceptance: one `storyline run` over the five seed articles, end to end via the CLI."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storyline.cli import main
from tests.conftest import EXAMPLE

ORIGINAL = "000_a739bb9f3244bbb2"
REWRITE = "001_0c9859ee3d48e6bf"
JUNK = ["16.5 C", "sâmbătă", "No menu items", "source site-34", "Be the first to comment"]

UNRELATED = """Earthquake shakes southern Peru, no casualties reported
20220305
https://example.org/news/peru-quake
A magnitude 6.1 earthquake struck southern Peru early on Saturday, the geophysical institute said.
The quake was centred 40 kilometres north of the city of Arequipa at a depth of 110 kilometres.
Residents in Arequipa and Moquegua ran into the streets as buildings swayed for almost a minute.
Local officials said there were no immediate reports of casualties or major damage.
"We felt it strongly, but the houses held," said Rosa Quispe, a market vendor in Arequipa.
Peru sits on the Pacific Ring of Fire and records hundreds of tremors every year.
Engineers were inspecting two bridges on the Pan-American Highway as a precaution.
The institute said aftershocks were likely during the coming days.
"""


def _run(*args: str) -> int:
    return main(list(args))


def _export(db: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert _run("export", "--db", db, "--format", "jsonl") == 0
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _dump(db_file: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    con = sqlite3.connect(db_file)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return [(t, sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr))
                for t in tables]
    finally:
        con.close()


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("seedrun")
    db_file = tmp / "s.db"
    db = f"sqlite:///{db_file}"
    assert _run("-q", "run", str(EXAMPLE), "--db", db) == 0
    return db, db_file


@pytest.fixture()
def story(seed_run: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    stories = _export(seed_run[0], capsys)
    assert len(stories) == 1
    return stories[0]


def test_one_story_with_all_five(story: dict[str, Any]) -> None:
    assert sorted(a["id"] for a in story["articles"]) == sorted(
        p.stem for p in EXAMPLE.glob("*.txt"))


def test_rewrite_and_independent_sources(story: dict[str, Any]) -> None:
    rel = {a["id"]: a for a in story["articles"]}
    assert rel[REWRITE]["relation"] == "rewrite"
    assert rel[REWRITE]["copy_of"] == ORIGINAL
    others = [a for i, a in rel.items() if i != REWRITE]
    assert [a["relation"] for a in others] == ["original"] * 4
    assert story["independent_sources"] == 4


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_no_junk_anywhere(story: dict[str, Any], seed_run: tuple[str, Path]) -> None:
    fields = _strings(story)
    for junk in JUNK:
        assert not [f for f in fields if junk in f], junk
    assert not [f for f in fields if any(line.strip() == "RELATED" for line in f.splitlines())]
    # The HTML report shows each article's cleaned text: no junk there either.
    html = seed_run[1].with_suffix(".html")
    assert _run("-q", "export", "--db", seed_run[0], "--format", "html", "-o", str(html)) == 0
    page = html.read_text(encoding="utf-8")
    for junk in JUNK:
        assert junk not in page, junk
    assert "<pre>RELATED" not in page and "\nRELATED\n" not in page


def test_zelenskiy_quote_once_with_variant(story: dict[str, Any]) -> None:
    hits = [q for q in story["quotes"] if "no minor incursions" in q["text"]
            or any("no minor incursions" in v["text"] for v in q["variants"])]
    assert len(hits) == 1
    quote = hits[0]
    assert quote["speaker"] == "Volodymyr Zelenskiy"
    small = [v for v in quote["variants"] if "small incursions" in v["text"]]
    assert small and REWRITE in small[0]["article_ids"]


def test_blinken_quote_and_no_pronoun_speakers(story: dict[str, Any]) -> None:
    juncture = [q for q in story["quotes"] if "decisive juncture" in q["text"]]
    assert juncture and all(q["speaker"] == "Antony Blinken" for q in juncture)
    pronouns = {"he", "she", "they", "it", "we", "i", "him", "her"}
    assert not [q for q in story["quotes"] if (q["speaker"] or "").lower() in pronouns]


def test_troops_fact_has_four_independent_sources(story: dict[str, Any]) -> None:
    troops = [f for f in story["facts"] if "100,000" in f["text"]]
    assert len(troops) == 1
    assert troops[0]["independent_support"] == 4


def test_entities_merged(story: dict[str, Any]) -> None:
    names = [e["name"] for e in story["entities"]]
    for wanted in ["Antony Blinken", "Geneva", "NATO", "Vladimir Putin"]:
        assert names.count(wanted) == 1, (wanted, names)
    lavrov = [n for n in names if n in ("Sergey Lavrov", "Sergei Lavrov")]
    assert len(lavrov) == 1, names


def test_rerun_is_a_noop(seed_run: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, db_file = seed_run
    before = _dump(db_file)
    first_id = _export(db, capsys)[0]["story_id"]
    assert _run("-q", "run", str(EXAMPLE), "--db", db) == 0
    assert _dump(db_file) == before
    assert _export(db, capsys)[0]["story_id"] == first_id


def test_unrelated_article_makes_second_story(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLE, folder)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert _run("-q", "run", str(folder), "--db", db) == 0
    first_id = _export(db, capsys)[0]["story_id"]
    (folder / "900_peru_quake.txt").write_text(UNRELATED, encoding="utf-8")
    assert _run("-q", "run", str(folder), "--db", db) == 0
    stories = _export(db, capsys)
    assert len(stories) == 2
    geneva = [s for s in stories if any(a["id"] == ORIGINAL for a in s["articles"])]
    assert geneva[0]["story_id"] == first_id
    assert len(geneva[0]["articles"]) == 5


def test_story_command_summary_budget(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert _run("story", str(EXAMPLE), "--summary-words", "100", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict) and data["summary"]
    words = sum(len(s["text"].split()) for s in data["summary"])
    assert words <= 100


def test_bad_input_is_skipped_with_reasons(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (bad / "latin.txt").write_bytes("Caf\xe9 cr\xe8me story text here.".encode("latin-1"))
    good = {"id": "j1", "title": "Quake", "text": "A strong earthquake hit Peru on Saturday."}
    (bad / "mixed.jsonl").write_text(json.dumps(good) + "\n{broken json\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'b.db'}"
    capsys.readouterr()
    code = _run("run", str(bad), str(tmp_path / "does-not-exist"), "--db", db)
    out = capsys.readouterr()
    assert code == 0  # the good JSONL line was read
    text = out.out + out.err
    for name in ["empty.txt", "binary.txt", "latin.txt", "mixed.jsonl:2", "does-not-exist"]:
        assert name in text, (name, text)
    assert "Traceback" not in text


def test_nothing_readable_exits_nonzero(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("")
    code = _run("run", str(tmp_path / "empty.txt"), "--db", f"sqlite:///{tmp_path / 'e.db'}")
    err = capsys.readouterr().err
    assert code != 0
    assert "error:" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2


def test_export_of_a_missing_database_is_an_error_not_a_new_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere" / "x.db"
    code = _run("export", "--db", f"sqlite:///{missing}")
    err = capsys.readouterr().err
    assert code != 0 and "no storyline database" in err and "storyline run" in err
    assert not missing.exists() and not missing.parent.exists()


@pytest.mark.parametrize("args", [
    ["run", str(EXAMPLE), "--summary-words", "-5"],
    ["eval", "quotes", "EMPTY_DIR"],  # exists, but is not a PolNeAR split
    ["run", str(EXAMPLE), "--db", "mysql://x"],
])
def test_bad_flags_give_one_line_errors(args: list[str], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    if args[0] == "run" and "--db" not in args:
        args = [*args, "--db", f"sqlite:///{tmp_path / 'f.db'}"]
    code = _run(*[str(tmp_path) if a == "EMPTY_DIR" else a for a in args])
    err = capsys.readouterr().err
    assert code != 0
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
