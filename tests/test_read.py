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


BODY = "Diplomats met for ninety minutes in Geneva on Friday and promised further talks."


def _rec(**fields: object) -> str:
    return json.dumps({"text": BODY, **fields})


def _warc(*records: tuple[str, bytes]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for content_type, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                   protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(
            f"https://e.com/{len(payload)}", "response", payload=io.BytesIO(payload),
            http_headers=headers))
    return out.getvalue()


GOOD_WARC = _warc(("text/html", HTML), ("text/html", HTML.replace(b"ninety", b"eighty")))
# name, content, articles read, reasons expected among the skips (each naming the file).
GARBAGE: list[tuple[str, bytes, int, list[str]]] = [
    ("scalar.json", b"42", 0, ["[0]: expected a JSON object, got a number"]),
    ("array.json", b'[1, "a", null]', 0, ["[0]: expected", "[1]: expected", "[2]: expected"]),
    ("empty_array.json", b"[]", 0, ["empty JSON array"]),
    ("no_text.json", b'{"id": "x", "title": "T"}', 0, ["no non-empty text field"]),
    ("text_number.json", b'{"text": 12345}', 0, ["field 'text' is a number"]),
    ("text_list.json", b'{"text": ["a"]}', 0, ["field 'text' is an array"]),
    ("title_object.json", _rec(title={"a": 1}).encode(), 0, ["field 'title' is an object"]),
    ("nested_nulls.json", _rec(id=None, title=None, date=None, url=None, lang=None).encode(),
     1, []),
    ("deep.json", b"[" * 50_000 + b"]" * 50_000, 0, ["nested too deeply"]),
    ("lines.json", f"{_rec(id='a')}\n{_rec(id='b')}\n".encode(), 2, []),
    ("surrogate.jsonl", b'{"text": "bad \\ud800 escape"}\n', 0, [":1: field 'text' contains an "
                                                               "unpaired surrogate"]),
    ("bom_crlf_blank.jsonl", f"\ufeff{_rec(id='a')}\r\n\r\n  \n{_rec(id='b')}\r\n".encode(),
     2, []),
    ("not_objects.jsonl", f"{_rec()}\n42\n[1]\nnull\n".encode(), 1,
     [":2: expected a JSON object", ":3: expected", ":4: expected"]),
    ("bad_utf8_line.jsonl", f"{_rec(id='a')}\n".encode() + b'{"text": "\xff"}\n', 1,
     [":2: not valid UTF-8"]),
    ("line_separator.jsonl", json.dumps({"text": BODY + "\u2028."}, ensure_ascii=False).encode(),
     1, []),
    ("long_line.jsonl", f"{_rec(text='x' * 400)}\n{_rec(id='ok', text='short')}\n".encode(), 1,
     [":1: line longer than max_file_bytes"]),
    ("blank.jsonl", b"\n \n", 0, ["empty"]),
    ("notgzip.html.gz", HTML, 0, ["Not a gzipped file"]),
    ("truncated.html.gz", gzip.compress(HTML)[:60], 0, ["end-of-stream"]),
    ("odd_charset.html", HTML.replace(b"<head>", b'<head><meta charset="x-bogus">'), 1, []),
    ("no_body.html", b"<html><head><title>x</title></head></html>", 0, ["no main text"]),
    ("scripts.html", b"<html><body><script>var a = 1;</script></body></html>", 0,
     ["no main text"]),
    ("notwarc.warc", b"this is not a warc file\n" * 3, 0, ["not a WARC file"]),
    ("notgzip.warc.gz", b"hello", 0, ["not a WARC file"]),
    ("empty.warc", b"", 0, ["empty file"]),
    ("truncated.warc.gz", GOOD_WARC[: len(GOOD_WARC) * 3 // 4], 1, ["truncated"]),
    ("images.warc.gz", _warc(("image/png", b"\x89PNG")), 0, ["no HTML response records"]),
    ("utf16.txt", f"Title\n{BODY}\n".encode("utf-16"), 1, []),
    ("latin1.txt", f"Café\n{BODY}\n".encode("latin-1"), 0, ["not valid UTF-8 (byte 0xe9 at "
                                                           "line 1"]),
    ("blank.txt", b" \t\r\n\n", 0, ["empty file"]),
    ("spaces ünï.txt", f"Title\n{BODY}\n".encode(), 1, []),
]


@pytest.mark.parametrize(("name", "content", "read", "reasons"), GARBAGE,
                         ids=[case[0] for case in GARBAGE])
def test_garbage_is_read_or_skipped_one_line(tmp_path: Path, name: str, content: bytes,
                                             read: int, reasons: list[str]) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = read_inputs([path], Settings(max_file_bytes=300 if "long" in name else 1 << 20))
    skips = [str(s) for s in result.skips]
    assert len(result.articles) == read, skips
    assert all(s.startswith(str(path)) and "\n" not in s for s in skips), skips
    for reason in reasons:
        assert any(reason in s for s in skips), (reason, skips)
    assert read or skips  # nothing unreadable vanishes without a reason


def test_garbage_dates_are_dropped_not_invented(tmp_path: Path) -> None:
    path = tmp_path / "dates.jsonl"
    dates = ["garbage!!", "x", "nan", "Friday", "12", "9999-12-31T23:59:59-05:00",
             "0001-01-01T00:00:00+05:00", "3000-01-01", [1, 2], True, 1e300, "20991301",
             "2022-01-21T10:00:00+99:00", 1642759200, "21 Jan 2022"]
    path.write_text("\n".join(_rec(id=str(i), date=d) for i, d in enumerate(dates)), "utf-8")
    result = read_inputs([path], Settings())
    assert not result.skips
    got = {a.id: a.date.date().isoformat() if a.date else None for a in result.articles}
    assert got == {**{str(i): None for i in range(12)}, "12": "2022-01-21", "13": "2022-01-21",
                   "14": "2022-01-21"}


def test_stdin_bytes_bom_and_garbage() -> None:
    raw = (b"\xef\xbb\xbf" + _rec(id="a").encode() + b"\r\n\xff\xfe\n\nnot json\n"
           + _rec(id="b").encode())
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    result = read_inputs(["-"], Settings(), stdin=stdin)
    assert [a.id for a in result.articles] == ["a", "b"]
    assert [s.where for s in result.skips] == ["<stdin>:2", "<stdin>:4"]
    empty = read_inputs(["-"], Settings(), stdin=io.StringIO(""))
    assert [str(s) for s in empty.skips] == ["<stdin>: no JSON lines (empty input)"]


def test_folder_links_are_reported_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text(f"Title\n{BODY}\n", "utf-8")
    (tmp_path / "self").symlink_to(".")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    result = read_inputs([tmp_path], Settings())
    assert [a.id for a in result.articles] == ["link", "real"]
    reasons = {Path(s.where).name: s.reason for s in result.skips}
    assert reasons.keys() == {"a.txt", "b.txt", "dangling.txt", "self"}
    assert "loop" in reasons["a.txt"] and "broken" in reasons["dangling.txt"]
    assert "not followed" in reasons["self"]


def test_a_date_in_a_text_file_name_dates_the_article(tmp_path: Path) -> None:
    from storyline.read.txt import date_from_name

    for name in ("politico_2016-09-28_axelrod.txt", "20220121-geneva.txt", "a739bb9f3244bbb2.txt",
                 "report_2022-02-30.txt"):
        (tmp_path / name).write_text("Title\nBody sentence here.\n", "utf-8")
    dates = {a.id: a.date for a in read_inputs([tmp_path], Settings()).articles}
    assert dates["politico_2016-09-28_axelrod"] == datetime(2016, 9, 28, tzinfo=UTC)
    assert dates["20220121-geneva"] == datetime(2022, 1, 21, tzinfo=UTC)
    assert dates["a739bb9f3244bbb2"] is None  # hex digits inside a hash are no date
    assert dates["report_2022-02-30"] is None  # no such day
    assert date_from_name("x20220121") is None and date_from_name("2022-01_21") is None
