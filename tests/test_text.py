"""Escaping of text from data and users, before HTML and Markdown."""

from __future__ import annotations

import html

import pytest

from corridors.text import escape_html, escape_label, escape_markdown


@pytest.mark.parametrize(
    "text",
    ["<img src=x onerror=alert(1)>", "Kars & Gyumri", "\"quoted\" 'single'", "`${x}`", "C:\\new"],
)
def test_escape_html_round_trips_through_an_html_parser(text: str) -> None:
    escaped = escape_html(text)
    assert html.unescape(escaped) == text
    assert not set(escaped) & set("<>\"'`$\\")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Baku-Tbilisi-Kars", r"Baku\-Tbilisi\-Kars"),
        ("*bold* _it_ [link](x)", r"\*bold\* \_it\_ \[link\]\(x\)"),
        ("$5 :red[x]", r"\$5 \:red\[x\]"),
        ("plain words", "plain words"),
    ],
)
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Baku-Tbilisi-Kars railway", "Baku-Tbilisi-Kars railway"),  # the accessible name too
        ("Rasht-Astara (Russia-Gulf) no. 1 + #2", "Rasht-Astara (Russia-Gulf) no. 1 + #2"),
        ("*bold* _it_ [link](x) ![i](y)", r"\*bold\* \_it\_ \[link\](x) \!\[i\](y)"),
        ("$5 :red[x] ~~s~~ `c` <b>", r"\$5 \:red\[x\] \~\~s\~\~ \`c\` \<b\>"),
        ("C:\\new", r"C\:\\new"),
    ],
)
def test_escape_label_leaves_what_labels_show_literally(text: str, expected: str) -> None:
    assert escape_label(text) == expected
