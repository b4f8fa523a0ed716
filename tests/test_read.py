"""Readers: every format, ids, dates, gold labels, and bad input turned into skips."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.model import Article, Skip, content_hash
from storyline.read import iter_inputs, read_inputs

ROOT = Path(__file__).resolve().parents[1]
HTML = b"""<html><head><title>Talks end in Geneva</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2022-01-21T10:00:00Z"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Talks end in Geneva</h1>
<p>Diplomats from both countries met for ninety minutes on Friday at a hotel on the shore of
Lake Geneva, their fourth encounter in a week, and neither side announced a breakthrough.</p>
<p>Officials said written answers to the security demands would be delivered next week, and
both delegations promised to keep their channels of communication open for further talks.</p>
</article></body></html>"""


def test_seed_folder_reads_five_articles() -> None:
    result = read_inputs([ROOT / "examples" / "geneva-2022"], Settings())
    assert [a.id[:3] for a in result.articles] == ["000", "001", "002", "003", "004"]
    assert result.articles[0].id == "000_a739bb9f3244bbb2"
    assert not result.skips
    assert result.articles[2].raw.startswith("16.5 C")


def test_jsonl_fields_miranda_and_broken_line(tmp_path: Path) -> None:
    good = {"id": "a1", "title": "T", "text": "Body.", "date": "2014-11-02 08:30:00",
            "lang": "en", "source": "S", "cluster": 7, "url": "https://x.org/a"}
    no_id = {"title": "T2", "text": "Other body."}
    path = tmp_path / "in.jsonl"
    path.write_text(f"{json.dumps(good)}\n{{broken\n\n{json.dumps(no_id)}\n", "utf-8")
    items = list(iter_inputs([path], Settings()))
    first, skip, second = items
    assert isinstance(first, Article) and first.gold == "7" and first.source == "S"
    assert first.date == datetime(2014, 11, 2, 8, 30, tzinfo=UTC)
    assert isinstance(skip, Skip) and skip.where == f"{path}:2" and "JSON" in skip.reason
    assert isinstance(second, Article) and second.id == content_hash("T2", "Other body.")
    again = list(iter_inputs([path], Settings()))
    assert [getattr(i, "id", None) for i in again] == [getattr(i, "id", None) for i in items]


def test_mstream_gold_field(tmp_path: Path) -> None:
    path = tmp_path / "News.jsonl"
    path.write_text('{"Id": "000001", "clusterNo": 65, "textCleaned": "centrepoint gala"}\n')
    [plain] = read_inputs([path], Settings()).articles
    assert plain.id == "000001" and plain.text == "centrepoint gala" and plain.gold is None
    [gold] = read_inputs([path], Settings(), gold_field="clusterNo").articles
    assert gold.gold == "65"


def test_json_array_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"id": "x", "text": "A."}, {"id": "y", "text": ""}, 3]))
    result = read_inputs([path], Settings())
    assert [a.id for a in result.articles] == ["x"]
    assert len(result.skips) == 2 and all(str(path) in s.where for s in result.skips)
    stream = io.StringIO('{"id": "s", "text": "From stdin."}\nnot json\n')
    result = read_inputs(["-"], Settings(), stdin=stream)
    assert [a.id for a in result.articles] == ["s"] and result.skips[0].where == "<stdin>:2"


def test_html_and_gz(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(HTML)
    (tmp_path / "zipped.html.gz").write_bytes(gzip.compress(HTML))
    result = read_inputs([tmp_path], Settings())
    assert not result.skips
    page, zipped = result.articles
    assert (page.id, zipped.id) == ("page", "zipped")
    assert page.title == "Talks end in Geneva" and page.source == "Example News"
    assert "ninety minutes" in page.text and "Home" not in page.text
    assert page.date is not None and page.date.date().isoformat() == "2022-01-21"


def test_warc(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.0")
        record = writer.create_warc_record("https://news.example.com/a", "response",
                                           payload=io.BytesIO(HTML), http_headers=headers)
        writer.write_record(record)
    [article] = read_inputs([path], Settings()).articles
    assert article.id == content_hash("https://news.example.com/a")
    assert article.url == "https://news.example.com/a" and "ninety minutes" in article.text


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"  \n", "empty file"),
    ("binary.txt", b"abc\x00\x01def", "binary"),
    ("latin.txt", "café".encode("latin-1"), "UTF-8"),
    ("notes.docx", b"hello", "unknown file type"),
    ("big.txt", b"x" * 200, "max_file_bytes"),
    ("bad.json", b"{not json", "malformed JSON"),
])
def test_bad_input_is_skipped(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    [skip] = list(iter_inputs([path], Settings(max_file_bytes=100)))
    assert isinstance(skip, Skip) and reason in skip.reason and "\n" not in skip.reason


def test_missing_path_and_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Title\nBody sentence.", "utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x00")
    result = read_inputs([tmp_path / "nope", tmp_path], Settings())
    assert [a.id for a in result.articles] == ["ok"]
    assert [s.reason.split()[0] for s in result.skips] == ["no", "binary"]
