"""User text in labels: escaped into DOT, rendered literally; no SVG we output links anywhere."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest

from viz.layout import engines
from viz.render.escape import dot_quote
from viz.render.render_errors import RenderError
from viz.render.svg_safety import sanitize_svg

SVG = "{http://www.w3.org/2000/svg}"

HOSTILE = [
    '"', '""', "\\", '\\"', "\\N", "\\G", "\\l", "\\\\n", "{", "}", "];", "[label=x]",
    "<b>bold</b>", "<<html>>", "a\nb", "a\r\nb", "tab\there", "javascript:alert(1)",
    'URL="javascript:alert(1)"', "href=x", "<a href='x'>y</a>", "n" * 5000, "\u202etxet.exe",
    "\u200b", "\x00nul", "\x1b[31mred", "한글 이름", "😀 👨\u200d👩\u200d👧", "α β γ", "-> b",
    "}; digraph evil {", "/* c */", "// c", "# c", "&amp;", "&lt;script&gt;", "&#1;", "'",
    "%s%s", "{{x}}", "\\x00", "<script>alert(1)</script>", "]]>", "<!-- c -->", "\ud800",
    "\ufeffbom", "edge", "node", "strict", "subgraph", "A" * 3 + "\\", "x\\",
]


def _shown(text: str) -> list[str]:
    """The lines a hostile text should show as (dot_quote's documented replacements)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    out = []
    for ch in text:
        bidi = "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
        bad = unicodedata.category(ch) in ("Cc", "Cs") and ch != "\n"
        out.append("\ufffd" if bidi or bad else ch)
    return "".join(out).split("\n")


def _no_links(svg: str) -> None:
    """No link, script or handler in any tag (label *text* may say "href" or "javascript:")."""
    for tag in re.findall(r"<[^>]*>", svg.lower()):
        assert not re.match(r"</?(a|script|foreignobject|image|style)\b", tag), tag
        assert "href" not in tag and "javascript:" not in tag, tag
        assert not re.search(r"\son[a-z]+\s*=", tag), tag
    root = ET.fromstring(svg)
    for el in root.iter():
        assert el.tag.rsplit("}", 1)[-1] not in ("a", "script", "foreignObject", "image")
        for name, value in el.attrib.items():
            assert "href" not in name and "javascript:" not in value.lower()


def _hostile_dot() -> str:
    lines = ["digraph G {", '  node [fontname="Courier", shape=box];']
    for i, text in enumerate(HOSTILE):
        # the text as a label, as an edge label and as a node *name*
        lines.append(f'  n{i} [id="n{i}", label={dot_quote(text)}];')
        lines.append(f"  {dot_quote(text)} -> n{i} [label={dot_quote(text, limit=20)}];")
    lines.append("}")
    return "\n".join(lines)


def test_hostile_labels_render_literally_with_no_links_on_both_engines(engine):
    assert len(HOSTILE) >= 30
    result = engines.render(_hostile_dot(), "svg", engine=engine)
    assert result.engine_used == engine
    _no_links(result.text)
    root = ET.fromstring(result.data)
    for i, text in enumerate(HOSTILE):
        node = next(g for g in root.iter(SVG + "g") if g.get("id") == f"n{i}")
        shown = ["".join(t.itertext()) for t in node.iter(SVG + "text")]
        want = _shown(text)
        # Graphviz drops empty lines and may trim the spaces at the ends of a line
        assert [s.strip() for s in shown] == [w.strip() for w in want if w.strip()], (i, text)


def test_url_href_and_friends_in_the_dot_leave_no_link(engine):
    dot = """digraph G {
      URL="javascript:alert(0)"; stylesheet="https://evil.example/x.css";
      comment="--><script>alert(1)</script><!--";
      a [URL="javascript:alert(1)", tooltip="t", target="_blank"];
      b [href="https://evil.example", label="b"];
      c [image="/etc/hostname"];
      a -> b [URL="javascript:alert(3)", labelURL="javascript:4", headURL="javascript:6",
              tailURL="javascript:7", label="e", headlabel="h", taillabel="t"];
      subgraph cluster_x { URL="javascript:9"; d }
    }"""
    svg = engines.render(dot, "svg", engine=engine).text
    _no_links(svg)
    assert "stylesheet" not in svg and "evil" not in svg and "<!--" not in svg
    texts = {"".join(t.itertext()) for t in ET.fromstring(svg).iter(SVG + "text")}
    assert {"a", "b", "e", "h", "t"} <= texts  # what the links drew is still drawn


def test_sanitize_svg_unwraps_links_and_drops_active_content():
    dirty = (
        '<?xml version="1.0"?><?xml-stylesheet href="x.css"?>'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'onload="alert(1)" width="10pt" height="10pt">'
        '<a xlink:href="javascript:alert(2)" target="_top"><text onclick="x()">kept</text></a>'
        "<script>alert(3)</script><foreignObject><p>html</p></foreignObject>"
        '<image xlink:href="file:///etc/passwd"/><style>*{}</style>'
        '<rect fill="url(https://evil.example/p.svg#x)" stroke="url(#ok)" style="x"/>'
        '<g id="keep" class="node"><polygon fill="url(#l_1)" points="0,0 1,1"/></g>'
        "<!-- comment --></svg>")
    clean = sanitize_svg(dirty)
    for bad in ("<a", "href", "script", "foreignObject", "<image", "<style", "onload",
                "onclick", "target", "evil", "comment", "stylesheet", "style="):
        assert bad not in clean, bad
    root = ET.fromstring(clean)
    assert ["".join(t.itertext()) for t in root.iter(SVG + "text")] == ["kept"]
    assert root.find(f".//{SVG}g[@id='keep']/{SVG}polygon").get("fill") == "url(#l_1)"
    assert root.find(f".//{SVG}rect").get("stroke") == "url(#ok)"


def test_sanitize_svg_refuses_what_it_cannot_parse():
    # Graphviz copies a fontname with a quote into an attribute unescaped
    with pytest.raises(RenderError, match="not well-formed"):
        sanitize_svg('<svg xmlns="http://www.w3.org/2000/svg"><text font-family="a"b">t</text>'
                     "</svg>")
    with pytest.raises(RenderError, match="root element"):
        sanitize_svg('<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>')
    # a raw control byte (Graphviz turns a label's "&#1;" into one) becomes U+FFFD
    assert "\ufffd" in sanitize_svg('<svg xmlns="http://www.w3.org/2000/svg"><text>a\x01b'
                                    "</text></svg>")


def test_a_quote_in_fontname_is_refused_not_passed_on(engine):
    with pytest.raises(RenderError, match="not well-formed"):
        engines.render('digraph { a [fontname="Cour\\"ier onload=alert(1)"] }', "svg",
                       engine=engine)


@pytest.mark.parametrize(("text", "quoted"), [
    ("plain", '"plain"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("back\\slash", '"back\\\\slash"'),
    ("\\N", '"\\\\N"'),
    ("two\nlines", '"two\\nlines"'),
    ("a\r\nb", '"a\\nb"'),
    ("&lt;", '"&amp;lt;"'),
    ("\x00\x07\u202e\ud800\uffff", '"' + "\ufffd" * 5 + '"'),
    ("한글 😀", '"한글 😀"'),
])
def test_dot_quote(text, quoted):
    assert dot_quote(text) == quoted


def test_dot_quote_limit_and_no_way_out_of_the_string():
    assert dot_quote("abcdef", limit=4) == '"abc\u2026"'
    for text in HOSTILE:
        q = dot_quote(text)
        inner = q[1:-1]
        # every quote inside is escaped by an odd run of backslashes
        for m in re.finditer(r'(\\*)"', inner):
            assert len(m[1]) % 2 == 1, text
        assert (len(inner) - len(inner.rstrip("\\"))) % 2 == 0  # no escaped closing quote
        assert "\n" not in q and "\r" not in q and "\x00" not in q
