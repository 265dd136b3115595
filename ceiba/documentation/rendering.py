"""Markdown narratives rendered to safe HTML: Markdown first, then nh3 (ammonia) removes anything
that is not plain formatting, so script, event handlers and javascript: links come out inert."""

from __future__ import annotations

import html as html_lib
import threading

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


_local = threading.local()


def _markdown_html(text: str) -> str:
    """Markdown to (unsanitised) HTML with one converter per thread, reset between texts: building a
    converter (its extensions and processors) costs more than converting a narrative, and an API
    page converts fifty."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(
            extensions=["tables", "sane_lists"], output_format="html"
        )
    try:
        return str(converter.reset().convert(text or ""))
    finally:
        converter.reset()


def render_markdown(text: str) -> SafeString:
    """HTML for a narrative written in Markdown; safe to insert in a page."""
    html = _markdown_html(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)


def markdown_to_text(text: str) -> str:
    """The words of a Markdown narrative without its markup (for search text and snippets)."""
    html = _markdown_html(text)
    plain = nh3.clean(html, tags=set(), strip_comments=True)
    return html_lib.unescape(" ".join(plain.split()))
