"""Reading feeds and sitemaps, decoding bodies, checking options: no network."""

from __future__ import annotations

import gzip

import pytest

from provenance.fetch import FetchOptions, NotAFeed, feed_urls, sitemap_urls
from provenance.fetch.content import TooLarge, accepted, decode, gunzip, parse_content_type

BASE = "https://news.example/feeds/all.xml"


def test_rss_items_give_their_link_or_permalink_guid() -> None:
    feed = """<?xml version="1.0" encoding="ISO-8859-1"?>
    <rss version="2.0"><channel><title>News</title><link>https://news.example/</link>
      <item><link>/2024/one.html</link><guid isPermaLink="false">id-1</guid></item>
      <item><guid>https://news.example/2024/two.html</guid></item>
      <item><guid isPermaLink="false">id-3</guid></item>
      <item><link>mailto:editor@news.example</link></item>
      <item><link> https://news.example/2024/one.html </link></item>
    </channel></rss>"""
    assert feed_urls(feed, BASE) == [
        "https://news.example/2024/one.html",
        "https://news.example/2024/two.html",
    ]


def test_atom_entries_give_their_alternate_html_link_against_xml_base() -> None:
    feed = """<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example/blog/">
      <entry><link rel="self" href="/api/1"/><link href="one.html"/></entry>
      <entry xml:base="2024/">
        <link rel="alternate" type="application/pdf" href="two.pdf"/>
        <link rel="alternate" type="text/html" href="two.html"/>
      </entry>
      <entry><link rel="enclosure" href="audio.mp3"/></entry>
    </feed>"""
    assert feed_urls(feed, BASE) == [
        "https://news.example/blog/one.html",
        "https://news.example/blog/2024/two.html",
    ]


def test_rss_1_items_give_their_link() -> None:
    feed = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://news.example/"/>
      <item rdf:about="https://news.example/a"><link>https://news.example/a</link></item>
    </rdf:RDF>"""
    assert feed_urls(feed, BASE) == ["https://news.example/a"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<html><body>news</body></html>", "not an RSS or Atom feed (root element <html>)"),
        ("just words", "not an RSS or Atom feed (not XML)"),
        ("", "not an RSS or Atom feed (not XML)"),
    ],
)
def test_what_is_not_a_feed_says_why(text: str, reason: str) -> None:
    with pytest.raises(NotAFeed) as raised:
        feed_urls(text, BASE)
    assert str(raised.value) == reason


def test_external_entities_are_not_resolved() -> None:
    feed = """<?xml version="1.0"?>
    <!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
    <rss version="2.0"><channel><item><link>https://news.example/&secret;</link></item>
    </channel></rss>"""
    assert feed_urls(feed, BASE) == ["https://news.example/"]  # the entity left out


def test_a_sitemap_lists_pages_and_an_index_lists_sitemaps() -> None:
    urlset = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://news.example/a</loc><lastmod>2024-01-01</lastmod></url>
      <url><loc> https://news.example/b </loc></url></urlset>"""
    index = """<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/s1.xml.gz</loc></sitemap></sitemapindex>"""
    assert sitemap_urls(urlset, BASE) == (["https://news.example/a", "https://news.example/b"], [])
    assert sitemap_urls(index, BASE) == ([], ["https://news.example/s1.xml.gz"])


def test_a_text_sitemap_lists_one_url_per_line() -> None:
    text = "https://news.example/a\nhttps://news.example/b\n\nftp://news.example/c\n"
    assert sitemap_urls(text, BASE) == (["https://news.example/a", "https://news.example/b"], [])


def test_a_feed_is_not_a_sitemap() -> None:
    with pytest.raises(NotAFeed, match=r"not a sitemap \(root element <rss>\)"):
        sitemap_urls("<rss version='2.0'><channel/></rss>", BASE)


@pytest.mark.parametrize(
    ("body", "charset", "text"),
    [
        ("café".encode(), None, "café"),
        ("café".encode("latin-1"), "iso-8859-1", "café"),
        ("“quoted”".encode("cp1252"), "ISO-8859-1", "“quoted”"),  # read as Windows-1252
        (b'<meta charset="koi8-r"><p>' + "мир".encode("koi8-r"), None, "мир"),
        (
            b'<?xml version="1.0" encoding="iso-8859-2"?><a>' + "Łódź".encode("iso-8859-2"),
            None,
            "Łódź",
        ),
        (b"\xef\xbb\xbf" + "café".encode(), "iso-8859-1", "café"),  # the BOM wins
        ("café".encode("utf-16"), None, "café"),
        (b"caf\xe9", None, "caf\ufffd"),  # undeclared, not UTF-8: replaced
        (b"caf\xe9", "no-such-charset", "caf\ufffd"),
    ],
)
def test_bodies_are_decoded(body: bytes, charset: str | None, text: str) -> None:
    assert text in decode(body, charset)


def test_content_types() -> None:
    assert parse_content_type('text/HTML; charset="UTF-8"') == ("text/html", "UTF-8")
    assert parse_content_type(None) == (None, None)
    assert accepted("application/rss+xml", "feed")
    assert not accepted("image/png", "page")
    assert not accepted(None, "page")
    assert accepted("application/x-gzip", "sitemap")
    assert not accepted("application/x-gzip", "page")


def test_gzip_is_inflated_up_to_the_limit() -> None:
    data = gzip.compress(b"<urlset/>")
    assert gunzip(data, 100) == b"<urlset/>"
    assert gunzip(b"<urlset/>", 100) == b"<urlset/>"
    with pytest.raises(TooLarge):
        gunzip(gzip.compress(b"0" * 10_000_000), 1000)  # 10 kB that inflate to 10 MB


@pytest.mark.parametrize(("name", "value"), [("per_host", 0), ("retries", -1), ("delay", -0.5)])
def test_options_out_of_range_are_rejected(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name):
        FetchOptions(**{name: value})  # type: ignore[arg-type]
