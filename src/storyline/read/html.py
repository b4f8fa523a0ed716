"""HTML reader (``.html``, ``.htm``, optionally ``.gz``): main text and metadata by trafilatura.

Cascade of :func:`html_to_article`: extract with ``bare_extraction(with_metadata=True)`` →
no main text → Skip; otherwise title, date, url and sitename (as ``source``) come from the page's
metadata and the text keeps trafilatura's one-paragraph-per-line layout.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.model import Article, Skip
from storyline.read._common import file_id, parse_date, read_bytes

log = logging.getLogger(__name__)


def html_to_article(html: bytes | str, article_id: str, where: str,
                    url: str = "") -> Article | Skip:
    """Main text of one HTML page as an Article."""
    import trafilatura  # lazy: a heavy import that only HTML and WARC inputs need

    try:
        document: Any = trafilatura.bare_extraction(html, url=url or None, with_metadata=True,
                                                    include_comments=False)
    except Exception as exc:  # trafilatura raises many types on broken pages
        return Skip(where, f"HTML extraction failed: {type(exc).__name__}: {exc}")
    if document is None:
        return Skip(where, "no main text found in the HTML page")
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = data.get("text") or ""
    if not text.strip():
        return Skip(where, "no main text found in the HTML page")
    raw = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    return Article(
        id=article_id, text=text, title=(data.get("title") or "").strip(),
        date=parse_date(data.get("date")), url=(data.get("url") or url or "").strip(),
        source=(data.get("sitename") or data.get("hostname") or "").strip(), raw=raw,
    )


def read_html(path: Path, settings: Settings) -> Article | Skip:
    data = read_bytes(path, settings.max_file_bytes)
    if isinstance(data, str):
        return Skip(str(path), data)
    return html_to_article(data, file_id(path), str(path))
