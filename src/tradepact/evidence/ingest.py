"""Reading raw pages: bytes -> decoded text, article ranges and metadata.

* ``.txt`` (as scraped): decoded whole; furniture is found line by line
  (:mod:`tradepact.evidence.text`), so spans index the page as saved.
* ``.html``/``.htm``: trafilatura (maintained; it uses justext as a
  fallback) extracts the main text and the metadata; htmldate finds the
  date when trafilatura does not. The stored text is the extracted text.
* ``.eml``/``.mbox``: the standard library's e-mail parser; each message's
  HTML part (else its text part) is read as above.

Title, publisher, date and language come from the page: a header line or
``<meta>``, a byline or "Published/Updated" stamp, a date in the URL, a
credit line naming the agency; the language from py3langid (its model ships
in the wheel). A page that cannot be read raises :class:`EvidenceFileError`
naming the file and what is wrong (binary, unknown encoding, empty, not
parseable), never its contents.
"""

from __future__ import annotations

import datetime as _dt
import email
import email.policy
import mailbox
import re
from dataclasses import replace
from pathlib import Path

from ..core.errors import InputFileError, Location
from .models import Extracted
from .text import classify_lines

SUFFIXES = {".txt": "text/plain", ".text": "text/plain", ".html": "text/html",
            ".htm": "text/html", ".eml": "message/rfc822", ".mbox": "application/mbox"}


class EvidenceFileError(InputFileError):
    """A raw page cannot be ingested (binary, undecodable, empty, malformed)."""


def _fail(file: str, message: str, expected: str) -> EvidenceFileError:
    return EvidenceFileError(message, location=Location(file), expected=expected)


# ---------------------------------------------------------------- decoding
def decode(raw: bytes, file: str) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 (BOM allowed), else the best detected charset."""
    if not raw.strip():
        raise _fail(file, "the file is empty", "a page with some text")
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(file, "the file is binary (it contains NUL bytes)",
                    "a text, HTML or e-mail file")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # Western pages saved as Windows-1252: accept when every non-ASCII
        text = raw.decode("cp1252")  # character is a Latin letter or typography
        if all(ord(ch) < 128 or "\u00a0" <= ch <= "\u00ff" or ch in "“”‘’–—…€•" for ch in text):
            return text, "cp1252"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer ships with the news extra
        from_bytes = None
    if from_bytes is not None:
        best = from_bytes(raw).best()
        if (best is not None and best.encoding and (best.chaos or 0) < 0.2
                and (best.coherence or 0) >= 0.1):
            return str(best), best.encoding
    raise _fail(file, "the text encoding is not UTF-8 and could not be detected",
                "UTF-8 text, or a page whose charset can be recognised")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _check_text(text: str, file: str) -> None:
    bad = len(_CONTROL.findall(text, 0, 20000))
    if bad > max(5, len(text[:20000]) // 50):
        raise _fail(file, "the file looks binary (many control characters)",
                    "a text, HTML or e-mail file")


# ---------------------------------------------------------------- metadata
_URL_LINE = re.compile(r"^URL:\s*(\S+)", re.M)
_DATE_LINE = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\b", re.M)
_STAMP = re.compile(r"(?:^|\b)(?:Published|Updated|Posted|Written|Date Created|Date)\s*:?\s*"
                    r"(?P<d>[^\n]{6,60})$", re.M | re.I)
_BYLINE_TIME = re.compile(r"^(?:\d{1,2}:\d{2}\s*[A-Z]{2,4},\s*)?(?P<d>(?:[A-Z][a-z]{2,8}\.? \d{1,2}, "
                          r"\d{4}))(?:,?\s*\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?$", re.M)
_URL_DATE = re.compile(r"/(20\d\d)[/-](\d\d)[/-](\d\d)/|[/=](20\d\d)(\d\d)(\d\d)\d{0,12}(?:[/?&.]|$)")
_AGENCIES = [("Yonhap", r"\(Yonhap\)|\bYonhap News Agency\b"), ("Reuters", r"\(Reuters\)|\bReuters\b –"),
             ("Korea JoongAng Daily", r"Korea JoongAng Daily"), ("The Korea Herald", r"Korea Herald"),
             ("The Korea Times", r"Korea Times"), ("Associated Press", r"\(AP\)"),
             ("Bloomberg", r"\(Bloomberg\)"), ("Jiji Press", r"\(Jiji Press\)"),
             ("The Japan News", r"\bJN ACCESS RANKING\b|\bThe Japan News\b")]


def _publisher_from_url(url: str) -> str | None:
    m = re.match(r"https?://([^/]+)", url)
    if not m:
        return None
    host = m.group(1).lower().split(":")[0]
    for prefix in ("www.", "en.", "m.", "cm.", "amp.", "biz.", "world."):
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
    return host


_MONTH_NUM = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_SIMPLE_DATE = re.compile(
    r"(?:(?P<m1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4})|"
    r"(?P<d2>\d{1,2})\s+(?P<m2>[A-Za-z]{3,9})\.?,?\s+(?P<y2>\d{4})|"
    r"(?P<y3>\d{4})[-./](?P<m3>\d{1,2})[-./](?P<d3>\d{1,2}))")


def _simple_date(s: str) -> _dt.date | None:
    """"Oct. 25, 2025", "25 Oct. 2025", "2025-10-25" without dateparser."""
    m = _SIMPLE_DATE.search(s)
    if not m:
        return None
    try:
        if m.group("y3"):
            return _dt.date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
        month = (m.group("m1") or m.group("m2"))[:3].lower()
        day, year = m.group("d1") or m.group("d2"), m.group("y1") or m.group("y2")
        return _dt.date(int(year), _MONTH_NUM[month], int(day)) if month in _MONTH_NUM else None
    except ValueError:
        return None


def _parse_date(s: str) -> _dt.date | None:
    quick = _simple_date(s)
    if quick is not None:
        return quick
    try:
        import dateparser
    except ImportError:  # pragma: no cover
        return None
    found = dateparser.parse(s.strip(), languages=["en"],
                             settings={"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False,
                                       "REQUIRE_PARTS": ["day", "month", "year"]})
    return found.date() if found else None


def published_date(text: str, url: str | None) -> _dt.date | None:
    """The page's own date: a date line, a stamp, a byline time, or the URL."""
    head = text[:3000]
    m = _DATE_LINE.search(head)
    if m:
        return _dt.date.fromisoformat(m.group(1))
    for rx in (_STAMP, _BYLINE_TIME):
        for m in rx.finditer(head):
            d = _parse_date(m.group("d"))
            if d:
                return d
    if url:
        m = _URL_DATE.search(url)
        if m:
            y, mo, d = [g for g in m.groups() if g][:3]
            try:
                return _dt.date(int(y), int(mo), int(d))
            except ValueError:
                return None
    return None


def language(text: str) -> str | None:
    """ISO 639-1 code from py3langid, or ``None`` if it is not installed."""
    try:
        import py3langid
    except ImportError:  # pragma: no cover
        return None
    return py3langid.classify(text[:5000])[0] if text.strip() else None


def _publisher(text: str, url: str | None) -> str | None:
    for name, pattern in _AGENCIES:
        if re.search(pattern, text):
            return name
    return _publisher_from_url(url) if url else None


# ---------------------------------------------------------------- formats
def _from_text(file: str, text: str, encoding: str) -> Extracted:
    lines = classify_lines(text)
    ranges = tuple((ln.start, ln.stop) for ln in lines if ln.article)
    if not ranges:
        raise _fail(file, "the page has no article text (only menus, captions or lists)",
                    "a page with at least one paragraph of text")
    m = _URL_LINE.search(text[:500])
    url = m.group(1) if m else None
    from .text import guess_title
    title = guess_title([ln.text for ln in lines if ln.why not in ("header",)])
    if title is None:
        first = text[ranges[0][0]:ranges[0][1]]
        title = first[:100].rstrip() + ("…" if len(first) > 100 else "")
    body = " ".join(text[a:b] for a, b in ranges)
    return Extracted(file, text, ranges, title, _publisher(text, url), published_date(text, url),
                     language(body), url, "text/plain", encoding)


def _from_html(file: str, html: str, encoding: str) -> Extracted:
    try:
        import trafilatura
    except ImportError:
        raise _fail(file, "reading HTML needs the 'news' extra (trafilatura)",
                    "pip install 'tradepact[news]'") from None
    text = trafilatura.extract(html, include_comments=False, include_tables=True,
                               favor_recall=True, deduplicate=False)
    if not text or not text.strip():
        raise _fail(file, "no article text could be extracted from the HTML",
                    "an HTML page with a main text")
    meta = trafilatura.extract_metadata(html)
    url = getattr(meta, "url", None) if meta else None
    published = None
    if meta is not None and getattr(meta, "date", None):
        published = _dt.date.fromisoformat(str(meta.date)[:10])
    if published is None:
        try:
            from htmldate import find_date
            found = find_date(html, original_date=True, extensive_search=False)
            published = _dt.date.fromisoformat(found) if found else None
        except (ImportError, ValueError):
            published = None
    lines = classify_lines(text)
    ranges = tuple((ln.start, ln.stop) for ln in lines if ln.article) or ((0, len(text)),)
    title = (getattr(meta, "title", None) if meta else None) or None
    publisher = ((getattr(meta, "sitename", None) if meta else None)
                 or _publisher(text, url))
    return Extracted(file, text, ranges, title, publisher, published, language(text), url,
                     "text/html", encoding)


def _message_part(msg: email.message.Message) -> tuple[str, str] | None:
    for kind in ("html", "plain"):
        part = msg.get_body(preferencelist=(kind,)) if hasattr(msg, "get_body") else None
        if part is not None:
            return kind, part.get_content()
    return None


def _from_message(file: str, msg: email.message.Message, encoding: str) -> Extracted:
    body = _message_part(msg)
    if body is None or not body[1].strip():
        raise _fail(file, "the e-mail has no text or HTML part", "a message with a body")
    kind, content = body
    doc = _from_html(file, content, encoding) if kind == "html" else _from_text(file, content, encoding)
    subject = str(msg.get("subject") or "") or doc.title
    sender = str(msg.get("from") or "") or doc.publisher
    published = doc.published
    if msg.get("date"):
        try:
            published = email.utils.parsedate_to_datetime(str(msg["date"])).date()
        except (TypeError, ValueError):
            pass
    return replace(doc, title=subject, publisher=sender, published=published,
                   media_type="message/rfc822")


def extract_bytes(raw: bytes, file: str, suffix: str | None = None) -> list[Extracted]:
    """The documents in one file's bytes (an mbox may hold several)."""
    suffix = (suffix or Path(file).suffix).lower()
    if suffix not in SUFFIXES:
        raise _fail(file, f"unknown file type '{suffix or '(none)'}'",
                    "one of " + ", ".join(sorted(SUFFIXES)))
    if suffix in (".eml", ".mbox"):
        if not raw.strip():
            raise _fail(file, "the file is empty", "an e-mail message or mailbox")
        if suffix == ".eml":
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            return [_from_message(file, msg, "utf-8")]
        return _from_mbox(file, raw)
    text, encoding = decode(raw, file)
    _check_text(text, file)
    looks_html = bool(re.search(r"<\s*(html|body|article|p|div)\b", text[:5000], re.I))
    if suffix in (".html", ".htm") or (looks_html and text.lstrip().startswith("<")):
        return [_from_html(file, text, encoding)]
    return [_from_text(file, text, encoding)]


def _from_mbox(file: str, raw: bytes) -> list[Extracted]:
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".mbox") as tmp:
        tmp.write(raw)
        tmp.flush()
        box = mailbox.mbox(tmp.name, factory=lambda f: email.message_from_binary_file(
            f, policy=email.policy.default))
        docs = [_from_message(f"{file}#{i}", msg, "utf-8") for i, msg in enumerate(box)]
    if not docs:
        raise _fail(file, "the mailbox holds no message", "an mbox file with messages")
    return docs


def read_document(path: Path | str) -> Extracted:
    """Read one ``.txt``/``.html`` page (the first message of an e-mail file)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(str(path), f"the file cannot be read ({exc.strerror})", "a readable file") from None
    return extract_bytes(raw, str(path))[0]
