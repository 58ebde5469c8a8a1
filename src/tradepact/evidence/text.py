"""Plain-text pages: furniture rules by line, and sentences.

Scraped pages saved as text keep their menus, photo captions, "most
popular" lists, share buttons and footers. A maintained extractor
(trafilatura, justext) needs the HTML tree to tell these apart, which a
text page no longer has, so each line is classified here by rules that look
only at the line's form and its neighbours:

* header lines a scraper adds (``URL:``, ``RETRIEVED:``, `` date YYYY-MM-DD``);
* menu and button lines (few words, no number, no sentence end);
* photo captions (a credit in brackets or after a slash at the end, or a
  "seen / pictured / speaks ..." sentence ending in a date);
* lists of other headlines: after a heading such as "POPULAR ARTICLE",
  "Related", "Most read", every title-like line is furniture until the next
  full paragraph;
* embedded posts (a line signed ``— Name (@handle) date`` and its body);
* footers (copyright, translation and AI notices, e-mail bylines) and
  what follows them in the second half of the page.

Everything else (headlines, decks, bullets, table rows, paragraphs) is
article text. Sentences are split with rules (abbreviations such as
``U.S.``, ``Oct.`` and decimals do not end one); no model is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
           r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_HEADER = re.compile(r"^(?:URL|RETRIEVED|SOURCE|DATE|TITLE):\s", re.I)
_DATE_PREFIX = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s")
_LIST_HEAD = re.compile(
    r"\b(popular|most (read|viewed|shared)|ranking|related( articles| news| stories)?|"
    r"recommended|trending|latest (news|stories|articles)|more (news|stories|from|on)|"
    r"top (stories|news)|you may (also )?like|editor'?s picks?|read (more|also|next)|"
    r"see also|also read|news services|hot news|headlines)\b", re.I)
_FOOTER = re.compile(
    r"(copyright|all rights reserved|ⓒ|©|unauthorized reproduction|redistribution|"
    r"originally written in|translated by|generative ai|ai[- ]assisted|"
    r"\[email\s*protected\]|to write comments|standards board)", re.I)
_BUTTON = re.compile(
    r"^(share|tweet|facebook|twitter|print|email|e-mail|close|menu|search|subscribe|"
    r"sign in|sign up|log ?in|comments?|advertisement|text size|font size|"
    r"skip to (main )?content|back to top|home|next|previous|more)\b", re.I)
_CREDIT_END = re.compile(
    r"(\[[A-Z][A-Z .,'&/-]{2,}\]|/\s*(Yonhap|Reuters|AP|AFP|News1|Newsis|EPA|Getty Images)\.?|"
    r"\b(Yonhap News Agency|Getty Images|AFP|EPA-EFE|AP Photo[^.]*|Reuters/[A-Za-z ]+))\s*$")
_CAPTION_VERB = re.compile(
    r"\b(is|are) (seen|pictured|shown)\b|\b(poses?|speaks|shakes hands|arrives|waves|"
    r"attends|pictured)\b", re.I)
_CAPTION_DATE_END = re.compile(rf",?\s+{_MONTHS}\s+\d{{1,2}},\s+\d{{4}}\.?\s*$")
_CAPTION_START = re.compile(r"^(left|right|above|below|top|bottom|photo|file photo|pictured)\s*[:\]]",
                            re.I)
_SIGNED_POST = re.compile(r"^[—–-]\s*.{1,80}\(@\w+\)")
_DATE_ONLY = re.compile(
    rf"^(?:\d{{1,2}}:\d{{2}}\s*(?:[ap]\.?m\.?\s*)?(?:[A-Z]{{2,4}})?,?\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}})"
    r"(?:[ ,]+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?(?:\s+[A-Z]{2,4})?\s*$", re.I)
_TIMESTAMP = re.compile(r"^(published|updated|posted|date created|date|modified|입력|수정)\b[^a-z]*",
                        re.I)
_SENT_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class Line:
    """One line of a page: its span in the text and whether it is article."""

    start: int
    stop: int
    text: str
    article: bool
    why: str = ""


def _words(s: str) -> int:
    return len(_WORD.findall(s))


def _is_paragraph(s: str) -> bool:
    return _words(s) >= 18 and bool(_SENT_END.search(s))


def _is_title_like(s: str) -> bool:
    return 3 <= _words(s) <= 30 and not _SENT_END.search(s)


def _furniture_reason(s: str, title: str | None) -> str:
    """Why a single line is furniture by its own form, or ``""``."""
    if _HEADER.match(s):
        return "header"
    if s in ("-", "–", "—", "•", "*", "|") or re.fullmatch(r"[|\-: ]+", s):
        return "separator"
    if s.startswith("#") and all(w.startswith("#") for w in s.split()):
        return "hashtags"
    if re.search(r"\bhttps?://t\.co/|pic\.twitter\.com/|^#[A-Z]+:", s) or (s and ord(s[0]) >= 0x1F000):
        return "social post"
    if _DATE_ONLY.match(s) or _TIMESTAMP.match(s) and _words(s) <= 8:
        return "date line"
    if _FOOTER.search(s) and _words(s) <= 60:
        return "footer"
    if _BUTTON.match(s) and _words(s) <= 4:
        return "button"
    if re.search(r"[\w.]+@[\w.]+\.\w+", s) and _words(s) <= 8:
        return "byline"
    if _CAPTION_START.match(s) or (_CREDIT_END.search(s) and _words(s) <= 60):
        return "caption"
    if _CAPTION_VERB.search(s) and _CAPTION_DATE_END.search(s) and _words(s) <= 50:
        return "caption"
    non_latin = len(_NON_LATIN.findall(s))
    if non_latin > len(s) / 3:
        return "non-latin chrome"
    if _words(s) < 4 and not re.search(r"\d", s) and not s.startswith("|"):
        return "menu"
    if title and len(title) > 25 and s.rstrip(" .") != title and s.startswith(title[:25]):
        return "repeated headline"
    return ""


def classify_lines(text: str) -> list[Line]:
    """Split ``text`` into lines and mark each as article text or furniture."""
    raw: list[tuple[int, int, str]] = []
    pos = 0
    for part in text.splitlines(keepends=True):
        body = part.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if stripped:
            start = pos + lead
            m = _DATE_PREFIX.match(body)
            if m:  # " date 2025-10-23 First paragraph..." : the prefix is furniture
                start = pos + m.end()
                stripped = body[m.end():].strip()
            raw.append((start, start + len(stripped), stripped))
        pos += len(part)
    title = guess_title([r[2] for r in raw])
    out: list[Line] = []
    in_list = False
    footer_seen = False
    half = len(text) / 2
    for i, (a, b, s) in enumerate(raw):
        why = _furniture_reason(s, title)
        if footer_seen and not why:
            why = "after footer"
        if why == "footer" and a > half:
            footer_seen = True
        if not why and _LIST_HEAD.search(s) and _words(s) <= 8 and not _SENT_END.search(s):
            in_list, why = True, "list heading"
        elif in_list and not why:
            if _is_paragraph(s):
                in_list = False
            else:
                why = "headline list"
        if not why and i + 1 < len(raw) and _SIGNED_POST.match(raw[i + 1][2]):
            why = "embedded post"
        if not why and _SIGNED_POST.match(s):
            why = "embedded post"
        if not why and _is_title_like(s) and _between_separators(raw, i):
            why = "headline list"
        out.append(Line(a, b, s, not why, why))
    return out


def _between_separators(raw: list[tuple[int, int, str]], i: int) -> bool:
    """A title-like line between two bullet separators is an item of a list."""
    prev_sep = i > 0 and raw[i - 1][2] in ("-", "–", "—", "•")
    next_sep = i + 1 < len(raw) and raw[i + 1][2] in ("-", "–", "—", "•")
    return prev_sep and (next_sep or i + 1 == len(raw))


def guess_title(lines: list[str]) -> str | None:
    """The first headline-like line of a page (before its first paragraph)."""
    for s in lines[:12]:
        if _HEADER.match(s) or _furniture_reason(s, None):
            continue
        if _is_paragraph(s):
            return None
        if 4 <= _words(s) <= 30 and not s.startswith(("▶", "-", "|")):
            return s.rstrip(" .")
    return None


# ---------------------------------------------------------------- sentences
_ABBREV = {
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "gov", "sen", "rep", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "st", "inc",
    "corp", "co", "ltd", "jr", "sr", "prof", "gen", "lt", "e.g", "i.e", "approx", "est", "ave",
    "a.m", "p.m", "dept", "govt", "mt", "ft", "u.s.-korea", "s", "messrs", "col", "capt",
}
_BOUNDARY = re.compile(r"([.!?…•])([\"'”’)\]]*)(\s+|(?=[A-Z][a-z]))")


_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.\-]*)$")
_NON_LATIN = re.compile(r"[\u3000-\U0010ffff]")


def _abbrev_before(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 40), dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    return word in _ABBREV or len(word) == 1


def sentences(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """The ``[a, b)`` spans of the sentences of ``text[start:stop]``."""
    a = start
    for m in _BOUNDARY.finditer(text, start, stop):
        end = m.start(3) if m.group(3) else m.end(2)
        if m.group(1) == "." and _abbrev_before(text, m.start(1)):
            nxt = text[m.end():m.end() + 1]
            # "U.S. Commerce" goes on; "... in the U.S. The next" ends.
            if not (nxt.isupper() and _abbrev_before(text, m.start(1))
                    and text[m.end():m.end() + 4] in ("The ", "It ", "He ", "She ", "In ", "But ")):
                continue
        if m.group(1) == "." and re.match(r"\d", text[m.end():m.end() + 1] or " ") and not m.group(3):
            continue
        if end - a > 1:
            yield (a, end)
        a = m.end()
    while a < stop and text[a].isspace():
        a += 1
    if stop - a > 1:
        yield (a, stop)
