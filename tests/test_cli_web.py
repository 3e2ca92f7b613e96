"""The command line on the web: sources and targets fetched from a real HTTP server on
127.0.0.1 (``webserver``), every URL accounted for in the report."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from provenance.report import report_schema

from .conftest import Run
from .webserver import Site, serve

ORIGINAL = "/articles/rferl-original.html"
REPUBLISHED = "/articles/republished.html"
CANONICAL = "https://www.rferl.org/a/lukashenka-putin-discuss-belarus-protests/30785127.html"
# The server is on a loopback address: allow exactly it (127.0.0.2 stays refused).
LOOPBACK = ("--allow-network", "127.0.0.1/32", "--delay", "0", "--retries", "1")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.chdir(tmp_path)  # the index and the HTTP cache go under .provenance/ here
    with serve() as running:
        yield running


@pytest.fixture
def indexed(site: Site, run) -> Site:
    """The RFE/RL original indexed from its page on the server."""
    added = run("index", "add", site.base + ORIGINAL, *LOOPBACK)
    assert added.code == 0, added.err
    assert added.err == ""
    assert "1 added" in added.out
    assert "1 URLs: 1 fetched" in added.out
    return site


def audit_json(run, *arguments: str) -> tuple[Run, dict]:
    result = run("audit", *arguments, "--format", "json")
    report = json.loads(result.out)
    jsonschema.validate(report, report_schema())
    return result, report


def test_a_page_indexed_from_its_url_is_a_source_with_the_pages_metadata(indexed: Site, run):
    _, report = audit_json(run, indexed.base + REPUBLISHED, *LOOPBACK)
    [document] = report["documents"]
    [match] = document["matches"]
    assert match["source_id"] == indexed.base + ORIGINAL
    assert match["url"] == CANONICAL  # rel=canonical, not the address it was fetched from
    assert match["publisher"] == "rferl"  # inferred from the canonical URL's domain
    assert match["published"] == "2020-08-15"
    assert match["title"] == "Lukashenka, Putin Discuss Belarus Protests By Phone"


def test_a_remote_page_is_audited_as_a_file_is(indexed: Site, run):
    result, report = audit_json(run, indexed.base + REPUBLISHED, *LOOPBACK)
    assert result.code == 1
    [document] = report["documents"]
    assert document["path"] == indexed.base + REPUBLISHED
    assert document["status"] == "scanned"
    assert document["matches"][0]["source_coverage"] > 0.95
    rules = sorted(f["rule"] for f in document["findings"])
    assert rules == ["missing-backlink", "missing-notice", "third-party-content"]
    html = (Path(__file__).parent.parent / "fixtures/web/republished.html").read_text()
    agency = next(f for f in document["findings"] if f["rule"] == "third-party-content")
    assert "Reuters" in html.splitlines()[agency["line"] - 1]  # lines of the page's HTML
    assert report["urls"][0]["status"] == "fetched"
    assert report["summary"]["urls"]["fetched"] == 1


def test_the_terminal_report_names_the_url_and_counts_urls(indexed: Site, run):
    result = run("audit", indexed.base + REPUBLISHED, *LOOPBACK)
    assert result.code == 1
    assert f"{indexed.base}{REPUBLISHED}:" in result.out  # findings as URL:line:column
    assert "1 URLs: 1 fetched" in result.out
    assert "1 documents: 1 scanned" in result.out


def test_every_url_given_or_found_ends_with_a_status(indexed: Site, run, tmp_path: Path):
    base = indexed.base
    listing = tmp_path / "urls.txt"
    listing.write_text(
        f"# pages to check\n{base}/articles/article-2.html\n\n{base}/always-500\n"
        f"{base}{REPUBLISHED}\n"  # given twice: fetched once
    )
    _, report = audit_json(
        run,
        base + REPUBLISHED,
        base + "/private/secret.html",
        base + "/to-private",
        base + "/image.png",
        "ftp://127.0.0.1/file.txt",
        *("--urls", str(listing)),
        *("--feed", base + "/feed.rss"),
        *("--feed", base + "/missing.rss"),
        *("--sitemap", base + "/sitemap-index.xml"),
        *LOOPBACK,
    )
    urls = {u["url"].removeprefix(base): u for u in report["urls"]}
    assert {url: u["status"] for url, u in urls.items()} == {
        REPUBLISHED: "fetched",
        "/private/secret.html": "robots",
        "/to-private": "refused",
        "/image.png": "refused",
        "ftp://127.0.0.1/file.txt": "refused",
        "/articles/article-2.html": "fetched",
        "/always-500": "failed",
        "/feed.rss": "fetched",
        "/missing.rss": "failed",
        "/sitemap-index.xml": "fetched",
        "/articles/article-1.html": "fetched",
        "/sitemap-articles.xml.gz": "fetched",
        "/sitemap-more.xml": "fetched",
        "/articles/article-4.html": "fetched",
        "/articles/article-5.html": "fetched",
    }
    assert urls[REPUBLISHED]["duplicates"] == 1
    assert urls["/articles/article-4.html"]["via"] == base + "/sitemap-articles.xml.gz"
    assert urls["/articles/article-1.html"]["via"] == base + "/feed.rss"
    assert "127.0.0.2" in urls["/to-private"]["reason"]
    # Every page is a document, with the reason when it could not be audited.
    documents = {d["path"].removeprefix(base): d for d in report["documents"]}
    pages = {url for url, u in urls.items() if u["kind"] == "page"}
    assert set(documents) == pages
    assert documents["/private/secret.html"]["status"] == "skipped"
    assert documents["/private/secret.html"]["reason"] == "not fetched: disallowed by robots.txt"
    assert documents["/always-500"]["status"] == "error"
    assert documents["/always-500"]["reason"] == "fetch failed: HTTP 500 after 2 attempts"
    assert documents["/image.png"]["reason"] == "refused: content type image/png"
    assert documents["/articles/article-2.html"]["status"] == "scanned"
    assert report["summary"]["urls"] == {
        "fetched": 9,
        "not-modified": 0,
        "robots": 1,
        "refused": 3,
        "failed": 2,
    }
    assert "/private/secret.html" not in indexed.paths()


def test_a_feed_that_cannot_be_read_is_listed_in_the_terminal_report(indexed: Site, run):
    result = run("audit", "--feed", indexed.base + "/missing.rss", *LOOPBACK)
    assert result.code == 0
    assert "Feeds and sitemaps that could not be read" in result.out
    assert f"{indexed.base}/missing.rss" in result.out
    assert "failed: HTTP 404" in result.out


def test_loopback_pages_are_refused_unless_allowed(indexed: Site, run):
    indexed.clear()
    result, report = audit_json(run, indexed.base + REPUBLISHED)
    assert result.code == 0  # nothing audited, nothing found
    [document] = report["documents"]
    assert document["status"] == "skipped"
    assert document["reason"] == "refused: loopback address 127.0.0.1"
    assert indexed.paths() == []  # not even robots.txt was asked for
    allowed, report = audit_json(run, indexed.base + REPUBLISHED, "--allow-private")
    assert allowed.code == 1
    assert report["documents"][0]["status"] == "scanned"


def test_a_second_audit_revalidates_from_the_cache(indexed: Site, run, tmp_path: Path):
    page = indexed.base + "/etag.html"
    _, first = audit_json(run, page, *LOOPBACK)
    _, second = audit_json(run, page, *LOOPBACK)
    assert (tmp_path / ".provenance" / "http-cache.sqlite").is_file()
    assert [u["status"] for u in first["urls"]] == ["fetched"]
    assert [u["status"] for u in second["urls"]] == ["not-modified"]
    assert second["documents"] == first["documents"]  # the cached copy is audited
    _, uncached = audit_json(run, page, "--no-cache", *LOOPBACK)
    assert [u["status"] for u in uncached["urls"]] == ["fetched"]


def test_urls_can_be_listed_on_standard_input(indexed: Site, run, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(indexed.base + REPUBLISHED + "\n"))
    _, report = audit_json(run, "--urls", "-", *LOOPBACK)
    assert [d["path"] for d in report["documents"]] == [indexed.base + REPUBLISHED]


def test_files_and_urls_are_audited_together(indexed: Site, run, tmp_path: Path):
    (tmp_path / "post.md").write_text("# A post\n\nWords of our own, nothing copied.\n")
    _, report = audit_json(run, "post.md", indexed.base + REPUBLISHED, *LOOPBACK)
    assert sorted(d["path"] for d in report["documents"]) == [
        indexed.base + REPUBLISHED,
        "post.md",
    ]


def test_index_add_reports_pages_and_feeds_it_could_not_read(site: Site, run):
    result = run(
        "index",
        "add",
        site.base + ORIGINAL,
        site.base + "/always-500",
        *("--feed", site.base + "/missing.rss"),
        *LOOPBACK,
    )
    assert result.code == 0
    assert "1 added" in result.out
    assert "3 URLs: 1 fetched, 2 failed" in result.out
    assert f"not read: {site.base}/missing.rss: HTTP 404" in result.err
    assert f"not indexed: {site.base}/always-500: fetch failed: HTTP 500 after 2" in result.err


def test_index_add_from_a_feed_indexes_its_items(site: Site, run):
    result = run("index", "add", "--feed", site.base + "/feed.atom", *LOOPBACK)
    assert result.code == 0, result.err
    stats = run("index", "stats", "--format", "json")
    assert json.loads(stats.out)["sources"] == 2
    again = run("index", "add", "--feed", site.base + "/feed.atom", *LOOPBACK)
    assert "0 added, 0 updated, 2 unchanged" in again.out


def test_extract_shows_what_the_audit_sees_in_a_page(site: Site, run):
    result = run("extract", site.base + ORIGINAL, "--format", "json", *LOOPBACK[:2])
    assert result.code == 0, result.err
    summary = json.loads(result.out)
    assert summary["path"] == site.base + ORIGINAL
    assert summary["format"] == "html"
    assert summary["metadata"]["canonical"] == CANONICAL
    assert summary["text"].startswith("Lukashenka, Putin Discuss Belarus Protests By Phone")
    assert "Belarusian President Alyaksandr Lukashenka has discussed" in summary["text"]
    assert "Copyright (c) 2020 RFE/RL" not in summary["text"]  # the page's footer


def test_extract_of_a_url_that_cannot_be_read_is_a_usage_error(site: Site, run):
    refused = run("extract", site.base + ORIGINAL)
    assert refused.code == 2
    assert "refused: loopback address 127.0.0.1" in refused.err
    missing = run("extract", site.base + "/articles/missing.html", *LOOPBACK[:2])
    assert missing.code == 2
    assert "fetch failed: HTTP 404" in missing.err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("audit",), "nothing to audit"),
        (("index", "add"), "nothing to add"),
        (("audit", "--urls", "no-such-list.txt"), "--urls no-such-list.txt: cannot be read"),
        (("audit", "https://example.org/", "--concurrency", "0"), "concurrency must be"),
        (("audit", "https://example.org/", "--changed-since", "HEAD"), "--changed-since"),
    ],
)
def test_remote_usage_errors(site: Site, run, arguments: tuple[str, ...], message: str):
    result = run(*arguments)
    assert result.code == 2
    assert message in result.err
    assert site.paths() == []


def test_the_configuration_sets_how_to_fetch_and_the_command_line_wins(
    site: Site, run, tmp_path: Path
):
    (tmp_path / "provenance.toml").write_text(
        '[fetch]\nuser-agent = "partner-audit/2.0"\nallow-networks = ["127.0.0.1/32"]\n'
        "delay = 0\nretries = 1\n"
    )
    configured = run("extract", site.base + ORIGINAL)  # loopback allowed by the configuration
    assert configured.code == 0, configured.err
    assert site.requests[-1].headers["user-agent"] == "partner-audit/2.0"
    overridden = run("extract", site.base + ORIGINAL, "--user-agent", "desk/1.0", "--no-cache")
    assert overridden.code == 0, overridden.err
    assert site.requests[-1].headers["user-agent"] == "desk/1.0"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("concurrency = 0", "provenance.toml:1: [fetch]: concurrency must be at least 1"),
        ('allow-networks = ["intranet"]', "'intranet' is not a network"),
        ("delay = true", "provenance.toml:2: 'fetch.delay' must be a number, not True"),
        ("agent = 'x'", "unknown key 'fetch.agent' (did you mean 'user-agent'?)"),
    ],
)
def test_a_bad_fetch_configuration_is_a_usage_error(
    site: Site, run, tmp_path: Path, table: str, message: str
):
    (tmp_path / "provenance.toml").write_text(f"[fetch]\n{table}\n")
    result = run("audit", site.base + REPUBLISHED)
    assert result.code == 2
    assert message in result.err
    assert site.paths() == []


def test_a_bad_network_on_the_command_line_is_a_usage_error(site: Site, run):
    result = run("audit", site.base + REPUBLISHED, "--allow-network", "127.0.0.300/32")
    assert result.code == 2
    assert "'127.0.0.300/32' is not a network" in result.err


def test_a_baseline_records_a_pages_findings_by_its_url(indexed: Site, run, tmp_path: Path):
    page = indexed.base + REPUBLISHED
    recorded = run("audit", page, "--baseline", "baseline.json", "--update-baseline", *LOOPBACK)
    assert recorded.code == 0
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert {entry["path"] for entry in entries} == {page}
    result, report = audit_json(run, page, "--baseline", "baseline.json", *LOOPBACK)
    assert result.code == 0
    assert report["summary"]["suppressed"] == 3
