"""Read a published notice into plain paragraphs and what the file says about itself.

A notice arrives as a text file, a saved web page or a Word file. Web pages
carry navigation, share buttons and footers around the article: trafilatura
(a maintained article extractor) finds the article and reads the page's own
metadata (title, date, canonical address); the page's visible text is kept
as well, for the 来源 and 发布时间 lines that extractors drop as boilerplate.
Word files are read with python-docx, paragraphs and table cells in order.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_SOURCE_BYTES = 8 * 1024 * 1024
SUFFIXES = (".txt", ".html", ".htm", ".docx")


class SourceError(Exception):
    """A source that cannot be read as a notice; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Notice:
    """One notice as paragraphs of text, with what its file says about it."""

    path: Path
    paragraphs: tuple[str, ...]
    title: str | None = None
    url: str | None = None
    date: str | None = None  # YYYY-MM-DD from the file's metadata
    header: tuple[str, ...] = ()  # lines around the article (来源, 发布时间) that the article text may lack


# Pinyin in brackets after a word, noise of some pages: 评论员(pínglùnyuán), 的(de).
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])(?:[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ\s']{1,40}[)）])+")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def clean(text: str) -> str:
    """One paragraph as a reader sees it: invisible characters and pinyin annotations gone, spaces folded."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", _PINYIN.sub("", text)).strip()


def paragraphs(lines: list[str]) -> tuple[str, ...]:
    """Non-empty cleaned paragraphs, each kept once (pages often repeat their article)."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        text = clean(line)
        if text and text not in seen:
            seen.add(text)
            kept.append(text)
    return tuple(kept)


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, refusing links, pipes, devices and huge files before reading."""
    try:
        info = path.lstat()
    except OSError as error:
        raise SourceError(f"{path}: 无法读取：{error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise SourceError(f"{path}: 是符号链接，未读取；请直接给出原文件")
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(f"{path}: 不是普通文件（管道、设备或目录），未读取")
    if info.st_size > MAX_SOURCE_BYTES:
        raise SourceError(f"{path}: 文件有 {info.st_size} 字节，超过上限 {MAX_SOURCE_BYTES} 字节")
    try:
        return path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path}: 无法读取：{error.strerror}") from None


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")  # notices saved on Chinese Windows often are
    except UnicodeDecodeError:
        raise SourceError(f"{path}: 既不是 UTF-8 也不是 GB18030 编码的文字，请另存为 UTF-8") from None


_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(https?://\S+?)\s*-->")


def read_text(path: Path, raw: bytes) -> Notice:
    text = _decode(path, raw)
    found = _URL.search(text)
    return Notice(path, paragraphs(text.splitlines()), url=found.group(0) if found else None)


def _extraction_config():  # type: ignore[no-untyped-def]
    """trafilatura's settings, with its minimum sizes lowered: a notice of one short case is still an article."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "60")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "30")
    return config


def read_html(path: Path, raw: bytes) -> Notice:
    import trafilatura

    page = _decode(path, raw)
    document = trafilatura.bare_extraction(
        page, with_metadata=True, favor_recall=True, include_comments=False, config=_extraction_config()
    )
    article = (getattr(document, "text", None) or "") if document is not None else ""
    visible = trafilatura.html2txt(page) or ""
    saved = _SAVED_FROM.search(page)
    url = saved.group(1) if saved else getattr(document, "url", None)
    return Notice(
        path,
        paragraphs(article.splitlines() or visible.splitlines()),
        title=clean(getattr(document, "title", None) or "") or None,
        url=url if url and url.startswith(("http://", "https://")) else None,
        date=getattr(document, "date", None),
        header=paragraphs(re.split(r"\s{2,}|\n", visible)),
    )


def read_docx(path: Path, raw: bytes) -> Notice:
    import io
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise SourceError(f"{path}: 不是有效的 Word 文件（.docx）；旧的 .doc 请先另存为 .docx") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("　".join(dict.fromkeys(cell.text for cell in row.cells)))
    urls = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    url = next((u for u in urls if u.startswith(("http://", "https://"))), None)
    title = clean(document.core_properties.title or "") or None
    return Notice(path, paragraphs(lines), title=title, url=url)


def read_notice(path: Path) -> Notice:
    """The notice in ``path`` (.txt, .html/.htm, .docx); raises :class:`SourceError` with a Chinese message."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SourceError(f"{path}: 只能读取 .txt、.html/.htm、.docx 文件")
    raw = _read_bytes(path)
    reader = {".txt": read_text, ".html": read_html, ".htm": read_html, ".docx": read_docx}[suffix]
    notice = reader(path, raw)
    if not notice.paragraphs:
        raise SourceError(f"{path}: 没有读到文字")
    return notice
