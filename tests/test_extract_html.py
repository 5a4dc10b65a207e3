"""extract_html on small synthetic pages: main text without boilerplate, metadata, robustness."""

from __future__ import annotations

import json

import pytest

from steppe.extract.html import HtmlExtraction, extract_html

PARAGRAPHS = [
    "The regional parliament voted on Tuesday to approve the new water-sharing agreement "
    "after three months of negotiations between the five neighbouring states.",
    "Delegates from the upstream countries said the deal guarantees minimum flows during "
    "the summer months, when irrigation demand peaks across the valley.",
    "Critics argued that the monitoring provisions remain weak and that no independent body "
    "has been given the authority to verify the reported volumes.",
    "The agreement enters into force next January, once each national assembly has ratified "
    "the text and deposited its instrument with the secretariat.",
]

JSONLD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Parliament approves water-sharing deal",
    "datePublished": "2024-03-05T09:30:00+05:00",
    "author": [
        {"@type": "Person", "name": "Aigerim Sadykova"},
        {"@type": "Person", "name": "Ivan Petrov"},
    ],
    "publisher": {"@type": "Organization", "name": "Steppe Herald"},
    "description": "Five states agree on minimum summer flows.",
}


def article_page(with_jsonld: bool = True) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    ld = f'<script type="application/ld+json">{json.dumps(JSONLD)}</script>' if with_jsonld else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Parliament approves water-sharing deal | Steppe Herald</title>
<meta property="og:title" content="Parliament approves water-sharing deal">
<meta property="og:site_name" content="Steppe Herald">
<link rel="canonical" href="/news/2024/03/05/water-deal">
{ld}
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
 <button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/economy">Economy</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<main><article>
<h1>Parliament approves water-sharing deal</h1>
{body}
</article></main>
<footer><p>Copyright 2024 Steppe Herald. All rights reserved.</p>
<ul><li><a href="/imprint">Imprint</a></li><li><a href="/privacy">Privacy policy</a></li></ul></footer>
</body></html>"""


def test_article_text_keeps_paragraphs_and_drops_boilerplate() -> None:
    out = extract_html(article_page(), url="https://herald.example/news/2024/03/05/water-deal")
    for paragraph in PARAGRAPHS:
        assert paragraph in out.text
    for junk in ("cookies", "Home", "Contact us", "Copyright", "Imprint", "Privacy policy"):
        assert junk not in out.text
    # one block per line, headline kept out of the body (it is the title)
    assert out.text.split("\n")[0] == PARAGRAPHS[0]


def test_jsonld_metadata_is_read() -> None:
    out = extract_html(article_page(), url="https://herald.example/x")
    assert out.title == "Parliament approves water-sharing deal"
    assert out.authors == ["Aigerim Sadykova", "Ivan Petrov"]
    assert out.published == "2024-03-05"
    assert out.published_precision == "day"
    assert out.publisher == "Steppe Herald"
    assert out.description == "Five states agree on minimum summer flows."
    assert out.language == "en"


def test_title_without_jsonld_drops_site_name() -> None:
    page = article_page(with_jsonld=False).replace(
        "<h1>Parliament approves water-sharing deal</h1>", ""
    )
    page = page.replace(
        '<meta property="og:title" content="Parliament approves water-sharing deal">', ""
    )
    out = extract_html(page)
    assert out.title == "Parliament approves water-sharing deal"


def test_canonical_url_is_made_absolute() -> None:
    out = extract_html(article_page(), url="https://herald.example/amp/water-deal?utm=x")
    assert out.url == "https://herald.example/news/2024/03/05/water-deal"


def test_bytes_input_with_declared_charset() -> None:
    page = article_page().replace("water-sharing deal", "соглашение о воде")
    out = extract_html(page.encode("utf-8"))
    assert out.title == "Parliament approves соглашение о воде"
    assert PARAGRAPHS[1] in out.text


def test_truncated_html_does_not_raise() -> None:
    page = article_page()
    for cut in (50, 400, len(page) // 2, len(page) - 30):
        out = extract_html(page[:cut])
        assert isinstance(out, HtmlExtraction)
        assert isinstance(out.text, str)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        b"",
        b"\x00\x01\x02\xff\xfe",
        "<<<>>>",
        "not html at all",
        "<html></html>",
        b"<p>\xff\xfe</p",
    ],
)
def test_empty_or_garbage_gives_empty_text(garbage: str | bytes) -> None:
    out = extract_html(garbage)
    assert isinstance(out, HtmlExtraction)
    assert out.text == "" or len(out.text) < 20
    assert out.authors == [] or all(isinstance(a, str) for a in out.authors)


def test_date_from_url_when_page_has_none() -> None:
    page = (
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article></body></html>"
    )
    out = extract_html(page, url="https://blog.example/2019/07/")
    assert (out.published, out.published_precision) in {("2019-07", "month"), ("2019-07-01", "day")}


# --- body clean-up and the byline date ---------------------------------------------------------


def _tree(html: str):  # noqa: ANN202 - an lxml tree, as trafilatura loads it
    from trafilatura.utils import load_html

    return load_html(html)


def test_clean_body_drops_pointers_credits_and_link_lists() -> None:
    from steppe.extract.html import clean_body

    tree = _tree(
        "<html><body><ul>"
        '<li><a href="/a">Flood warnings extended for the northern districts</a></li>'
        '<li><a href="/b">Grain exports resume after a two-week pause</a></li>'
        '</ul><p><a href="/c">A linked heading that belongs to the article itself</a></p>'
        "</body></html>"
    )
    text = "\n".join(
        [
            PARAGRAPHS[0],
            "Read more: Grain exports resume after a two-week pause",
            "Photo: Aigerim Sadykova / Steppe Herald",
            "A linked heading that belongs to the article itself",
            PARAGRAPHS[1],
            "- Flood warnings extended for the northern districts",
            "- Grain exports resume after a two-week pause",
            "Sign up to our newsletter to get the latest stories in your inbox.",
        ]
    )
    assert clean_body(text, tree).split("\n") == [
        PARAGRAPHS[0],
        "A linked heading that belongs to the article itself",  # one link line alone stays
        PARAGRAPHS[1],
    ]


def test_visible_lead_is_put_back_once() -> None:
    from steppe.extract.html import PageSignals, add_visible_lead

    lead = "Five states agree on minimum summer flows after three months of talks in the capital."
    html = (
        f'<html><head><meta name="description" content="{lead}"></head><body>'
        f'<header><h1>Deal</h1><p class="standfirst">{lead}</p></header>'
        f"<article><p>{PARAGRAPHS[0]}</p></article></body></html>"
    )
    tree = _tree(html)
    signals = PageSignals.read(tree, None)
    assert add_visible_lead(PARAGRAPHS[0], tree, signals, "Deal") == f"{lead}\n{PARAGRAPHS[0]}"
    # already in the text: unchanged
    assert add_visible_lead(f"{lead}\n{PARAGRAPHS[0]}", tree, signals, "Deal").count(lead) == 1
    # only in <meta>, not shown on the page: SEO text, not a lead
    hidden = _tree(html.replace(f'<p class="standfirst">{lead}</p>', ""))
    assert (
        add_visible_lead(PARAGRAPHS[0], hidden, PageSignals.read(hidden, None), "Deal")
        == (PARAGRAPHS[0])
    )


def _dated_page(zone: str) -> str:
    return (
        "<html><body><article><h1>Parliament approves water-sharing deal</h1>"
        f"{zone}<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></article></body></html>"
    )


def test_byline_date_under_the_headline_wins_over_a_stray_date() -> None:
    from steppe.extract.html import _prefer_byline_date

    title = "Parliament approves water-sharing deal"
    tree = _tree(_dated_page('<div class="meta">By Ivan Petrov | 12 March 2024</div>'))
    assert _prefer_byline_date("2024-03-20", tree, title, None) == "2024-03-12"
    # direct evidence for the other date keeps it: a <time datetime> after the headline ...
    tree = _tree(
        _dated_page('<span>12 March 2024</span><time datetime="2024-03-20T10:00">x</time>')
    )
    assert _prefer_byline_date("2024-03-20", tree, title, None) == "2024-03-20"
    # ... or a date in the URL
    tree = _tree(_dated_page("<span>12 March 2024</span>"))
    assert _prefer_byline_date("2024-03-20", tree, title, "https://x.example/2024/03/20/d") == (
        "2024-03-20"
    )
    # a picture caption is not a byline
    tree = _tree(
        _dated_page("<figure><figcaption>Delegates on 1 March 2024.</figcaption></figure>")
    )
    assert _prefer_byline_date("2024-03-20", tree, title, None) == "2024-03-20"
