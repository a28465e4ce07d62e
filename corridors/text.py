"""Escaping for text that comes from data files or users, before it reaches HTML or Markdown.

Route, leg and source names are written by curators and, in the "Your route" panel, by users;
folium puts tooltip text into HTML (inside a JavaScript template literal) and Streamlit renders
Markdown, so every such string passes through one of these functions first.
"""

from __future__ import annotations

import html
import re

# Beyond html.escape: "`", "$" and "\" would end or interpolate folium's tooltip template
# literal (`...${x}...`), and "{" and "}" open and close Jinja's {{ }}, {% %} and {# #}: branca
# parses every element's rendered output again as a template, so text with them would be run.
# All become character references, which HTML shows unchanged.
_TEMPLATE_LITERAL = str.maketrans(
    {"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"}
)

# CommonMark's ASCII punctuation that can start markup, plus "$" (Streamlit renders $...$ as LaTeX)
# and ":" (Streamlit's :material/...: and :color[...] directives).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")
# What still marks up a widget label: Streamlit shows headings, lists and quotes in labels
# literally, but renders emphasis, code, links, images, LaTeX and its directives.
_LABEL_SPECIAL = re.compile(r"([\\`*_\[\]!<>~$:])")


def escape_html(text: object) -> str:
    """Return text safe to place in HTML, inside a JavaScript template literal, and in Jinja.

    Examples
    --------
    >>> escape_html("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> escape_html("`${x}`")
    '&#96;&#36;&#123;x&#125;&#96;'
    >>> escape_html("BTK {{ 7*7 }}")
    'BTK &#123;&#123; 7*7 &#125;&#125;'
    """
    return html.escape(str(text), quote=True).translate(_TEMPLATE_LITERAL)


def escape_markdown(text: object) -> str:
    r"""Return text that Streamlit's Markdown shows literally.

    Examples
    --------
    >>> print(escape_markdown("*Baku* costs $5"))
    \*Baku\* costs \$5
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def escape_label(text: object) -> str:
    r"""Return text that a Streamlit widget label shows literally, escaping as little as that needs.

    The label is also the control's accessible name, backslashes included, so a screen reader
    reads every escape aloud: "Baku-Tbilisi-Kars" must stay as it is.

    Examples
    --------
    >>> print(escape_label("Baku-Tbilisi-Kars (BTK)"))
    Baku-Tbilisi-Kars (BTK)
    >>> print(escape_label("*Baku* costs $5"))
    \*Baku\* costs \$5
    """
    return _LABEL_SPECIAL.sub(r"\\\1", str(text))
