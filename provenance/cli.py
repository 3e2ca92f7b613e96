"""The command line: arguments -> configuration -> engine -> reporter -> exit code.

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 usage error or the tool failed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import __version__, indexing, parallel
from . import progress as stages
from .baseline import BaselineError, Key, apply_baseline, format_baseline, parse_baseline
from .compare import CompareError, compare_files
from .config import FAIL_ON, Config, ConfigError, resolve_config
from .extract import Unreadable, extract_file, extraction_summary, read_text
from .fetch import USER_AGENT, FetchOptions
from .git import GitError, changed_files, repository_root
from .index import (
    DEFAULT_LOCATION,
    IndexBusy,
    IndexUnavailable,
    index_exists,
    open_index,
    shown,
)
from .limits import Limits, format_size, parse_size
from .models import INTERNAL_ERROR, SEVERITIES, AuditResult, RuleDescription
from .report import FORMATS, format_report, render_terminal
from .report.compare import LONG_PASSAGE, format_comparison_json, render_comparison
from .report.notices import format_notices
from .report.terminal import unread_listings, url_summary
from .rules import RULES, Pack, PackError, builtin_packs, describe_rules, documentation, load_pack
from .web import is_url, page_document, url_list

if TYPE_CHECKING:  # loaded by the commands that need them: every command starts sooner
    from . import engine
    from .fetch import FetchStream

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2

EXAMPLES = """\
examples:
  provenance audit content/ --sources originals/       index the originals, then audit content/
  provenance audit content/ --format json -o report.json
  provenance audit content/ --changed-since origin/main --format sarif -o pr.sarif --format github
                                                       a pull request's check: SARIF + annotations
  provenance audit content/ --update-baseline          accept today's findings ...
  provenance audit content/                            ... and fail later only on new ones
  provenance index add originals/ feeds.jsonl          build the index once ...
  provenance audit content/                            ... and audit against it later
  provenance explain notice-year-mismatch              what a rule checks and how to fix it
  provenance compare post.md originals/story.md        what post.md copies, side by side
"""

COMPARE_EPILOG = """\
A is the text being checked (the target: a republished page, say), B the source it may
copy (the original article); JSON output calls them "target" and "source". Both are
extracted as `audit` extracts them (Markdown with front matter, .txt, HTML main text); no
index is used. Each copied passage is shown with its line:column range in both files, and
the words that differ are marked: in colour on a terminal, as {+…+} (only in A) and [-…-]
(only in B) when piped or with NO_COLOR set.

examples:
  provenance compare site/content/post.md originals/story.md
  provenance compare page.html originals/story.md --full    every word of long passages
  provenance compare post.md story.md --format json | jq .source_coverage

exit codes: 0 the comparison ran (whatever it found); 2 usage error (a missing, unreadable or
binary file, a folder) or failure
"""


class UsageError(Exception):
    pass


# -- helpers ----------------------------------------------------------------------------------


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def _progress(enabled: bool) -> Iterator[stages.Progress]:
    """A progress callback drawing bars on standard error when it is a terminal."""
    console = _stderr()
    if not enabled or not console.is_terminal:
        yield lambda stage, done, total: None
        return
    # Bars are drawn on a terminal only: their module loads then.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {
        "fetch": "Fetching URLs",
        "index": "Fingerprinting sources",
        "audit": "Auditing files",
    }
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bars:
        tasks: dict[str, object] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(labels.get(stage, stage), total=total)
            bars.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        yield update


@contextmanager
def _missing_paths_are_usage_errors() -> Iterator[None]:
    try:
        yield
    except FileNotFoundError as missing:
        raise UsageError(f"no such file or folder: {missing}") from missing


def _write(path: str, text: str) -> None:
    """Write a report atomically: a reader never sees half a report."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a report is not
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _configuration(explicit: str | None, start: Path) -> tuple[Config, dict[str, Pack]]:
    """The configuration and the packs it adds to the built-in ones, its rule and publisher
    names checked against them."""
    config = resolve_config(explicit, start)
    packs = builtin_packs()
    for path in config.packs:
        pack = load_pack(Path(path))
        packs[pack.id] = pack

    def publisher(name: str) -> str | None:
        wanted = name.casefold()
        for pack in packs.values():
            if wanted in (pack.id.casefold(), pack.name.casefold()) or (
                pack.names and pack.names.fullmatch(name)
            ):
                return pack.id
        return None

    return config.resolve_names(RULES, publisher), packs


def _baseline_file(args: argparse.Namespace, config: Config) -> Path | None:
    if args.no_baseline:
        if args.update_baseline:
            raise UsageError("--update-baseline and --no-baseline contradict each other")
        return None
    chosen = args.baseline or config.baseline
    if args.update_baseline and not chosen:
        raise UsageError(
            "--update-baseline needs a file: --baseline FILE, or `baseline` in the configuration"
        )
    return Path(chosen) if chosen else None


def _read_baseline(path: Path) -> Counter[Key]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: baseline not found (create it with --update-baseline)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: baseline cannot be read: {error}") from error
    return parse_baseline(text, str(path))


def _reports(options: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
    """Pair each --format with the --output after it (None: standard output); an --output
    given before any --format is the first one's."""
    reports: list[tuple[str, str | None]] = []
    pending: str | None = None  # an --output given before any --format
    for option, value in options:
        if option == "format":
            reports.append((value, pending))
            pending = None
        elif reports and reports[-1][1] is None:
            reports[-1] = (reports[-1][0], value)
        elif reports or pending:
            raise UsageError(f"--output {value}: give each --output its own --format before it")
        else:
            pending = value
    if not reports:
        reports.append(("terminal", pending))
    if sum(output is None for _, output in reports) > 1:
        raise UsageError("only one report can go to standard output: give the others --output FILE")
    files = [output for _, output in reports if output]
    if len(set(files)) < len(files):
        raise UsageError("two reports would be written to the same --output file")
    return reports


def _report(
    name: str,
    output: str | None,
    result: AuditResult,
    rules: Sequence[RuleDescription],
    root: Path | None,
) -> None:
    """Write one report: to standard output, or atomically to ``output``. Reports other than
    the terminal's name documents relative to the repository's ``root``, as CI systems expect."""
    if name == "terminal":
        if output is None:
            render_terminal(result, Console(highlight=False))
            return
        console = Console(record=True, width=100, file=io.StringIO())
        render_terminal(result, console)
        text = console.export_text()
    else:
        text = format_report(name, _relative_to(result, root) if root else result, rules)
    if output is None:
        sys.stdout.write(text)
    else:
        _write(output, text)


def _relative_to(result: AuditResult, root: Path) -> AuditResult:
    def relative(path: str) -> str:
        if is_url(path):
            return path
        absolute = Path(os.path.abspath(path))
        for candidate in (absolute, Path(os.path.realpath(absolute))):
            if candidate.is_relative_to(root):
                return candidate.relative_to(root).as_posix()
        return path  # outside the repository: as given

    documents = tuple(replace(d, path=relative(d.path)) for d in result.documents)
    return replace(result, documents=tuple(sorted(documents, key=lambda d: d.path)))


def _folder(path: Path) -> Path:
    """The folder a PATH argument stands for (a missing one is reported by the audit)."""
    return (path if path.is_dir() else path.parent).resolve()


def _changed_files(revision: str, folder: Path, root: Path | None) -> set[Path]:
    if root is None:
        raise UsageError(f"--changed-since {revision}: {folder} is not inside a git repository")
    try:
        return changed_files(root, revision)
    except GitError as error:
        raise UsageError(f"--changed-since {revision}: {error}") from None


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _limits(args: argparse.Namespace, config: Config) -> Limits:
    """The command line's limits, else the configuration's ``[limits]``."""
    given = {
        "max_file_size": getattr(args, "max_file_size", None),
        "max_align_words": getattr(args, "max_align_words", None),
    }
    try:
        return replace(config.limits, **{k: v for k, v in given.items() if v is not None})
    except ValueError as error:
        raise UsageError(str(error)) from None


def _fetch_options(args: argparse.Namespace, config: Config) -> FetchOptions:
    """How to fetch: the command line's options, else the configuration's ``[fetch]``."""
    given = {
        "concurrency": args.concurrency,
        "per_host": args.per_host,
        "delay": args.delay,
        "total_timeout": args.timeout,
        "retries": args.retries,
        "user_agent": args.user_agent,
    }
    try:
        return replace(
            config.fetch,
            **{name: value for name, value in given.items() if value is not None},
            cache_dir=None if args.no_cache else args.cache_dir,
            max_bytes=_limits(args, config).max_file_size,
            allow_private=args.allow_private,
            allow_networks=(*config.fetch.allow_networks, *(args.allow_network or ())),
        )
    except ValueError as error:
        raise UsageError(str(error)) from None


def _split_inputs(
    args: argparse.Namespace, arguments: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The command line's inputs as (paths, URLs): the URLs given as arguments, then those
    of the --urls lists."""
    paths, urls = [a for a in arguments if not is_url(a)], [a for a in arguments if is_url(a)]
    for listing in args.urls or ():
        try:
            urls += url_list(sys.stdin.read() if listing == "-" else read_text(Path(listing)))
        except Unreadable as problem:
            raise UsageError(f"--urls {listing}: {problem.reason}") from None
    return paths, urls


def _crawl(
    args: argparse.Namespace, urls: list[str], options: FetchOptions, progress: stages.Progress
) -> FetchStream | None:
    """The crawl of the URLs, feeds and sitemaps given, if any; it starts when iterated."""
    if not (urls or args.feed or args.sitemap):
        return None
    from .fetch import FetchStream

    return FetchStream(
        urls,
        args.feed or (),
        args.sitemap or (),
        options,
        lambda done, total: progress("fetch", done, total),
    )


def _index_location(args: argparse.Namespace, config: Config) -> str:
    return args.index or config.index or DEFAULT_LOCATION


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {jobs}")
    return jobs


def _workers(args: argparse.Namespace, config: Config) -> parallel.Workers:
    """Where documents are audited: --dask's cluster, else --jobs (or the configuration's
    ``jobs``) processes, by default one per processor."""
    if args.dask and args.jobs:
        raise UsageError(
            "--jobs and --dask: on a Dask cluster, its workers decide how many documents "
            "are audited at once"
        )
    return parallel.Workers(args.jobs or config.jobs or parallel.cpus(), args.dask)


def _print_timings(timings: engine.Timings, audit: float, overall: float, index: float) -> None:
    """The time spent in each stage, on standard error (reports stay as they are)."""
    rows = [(stage, f"{seconds:.3f}") for stage, seconds in timings.seconds.items()]
    if index:
        rows.append(("index update", f"{index:.3f}"))
    rows += [
        ("audit (wall)", f"{audit:.3f}"),
        ("overall (wall)", f"{overall:.3f}"),
        ("documents", str(timings.documents)),
        ("documents/s", f"{timings.documents / audit:.1f}" if audit else "-"),
    ]
    lines = [
        "timings, in seconds (the stages from extract to rules are summed over the workers, "
        "so together they may exceed the wall time):",
        *(f"  {name:<24}{value:>12}" for name, value in rows),
    ]
    sys.stderr.write("\n".join(lines) + "\n")


def _exit_code(result: AuditResult, fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_OK
    levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    return EXIT_FINDINGS if any(result.count(s) for s in levels) else EXIT_OK


# -- commands ---------------------------------------------------------------------------------


def cmd_audit(args: argparse.Namespace) -> int:
    from . import engine

    started = time.perf_counter()
    reports = _reports(args.reports)
    paths, urls = _split_inputs(args, args.paths)
    if not (paths or urls or args.feed or args.sitemap):
        raise UsageError("nothing to audit: give a PATH or URL, --urls FILE, --feed or --sitemap")
    config, packs = _configuration(args.config, Path(paths[0]) if paths else Path.cwd())
    options = _fetch_options(args, config)
    # The repository holding the audited files: CI systems name files relative to its root.
    # Asking git costs a process, so only when a report or --changed-since needs it.
    folder = _folder(Path(paths[0])) if paths else Path.cwd().resolve()
    needs_root = args.changed_since or any(name != "terminal" for name, _ in reports)
    root = repository_root(folder) if needs_root else None
    if args.changed_since and not paths:
        raise UsageError("--changed-since selects files: give the PATH it applies to")
    only = _changed_files(args.changed_since, folder, root) if args.changed_since else None
    baseline_file = _baseline_file(args, config)
    # Read before the audit, so that a broken baseline fails at once, not after a long run.
    baseline = _read_baseline(baseline_file) if baseline_file and not args.update_baseline else None
    sources = args.sources or list(config.sources)
    timings = engine.Timings()
    with (
        _workers(args, config) as workers,  # first: an unreachable cluster fails at once
        open_index(_index_location(args, config)) as index,
        _progress(not args.no_progress) as progress,
        _missing_paths_are_usage_errors(),
    ):
        indexing_started = time.perf_counter()
        update = indexing.update_index(index, sources, packs, progress) if sources else None
        audit_started = time.perf_counter()
        if index.count() == 0:
            raise UsageError(
                "the index holds no sources: pass --sources DIR, "
                "or run `provenance index add DIR` first"
            )
        result = engine.audit(
            paths,
            index,
            packs,
            progress,
            exclude=config.exclude,
            base=config.base,
            index_update=update,
            site=config.site,
            severities=config.severities,
            custom_rules=config.custom_rules,
            only=only,
            pages=_crawl(args, urls, options, progress),
            limits=_limits(args, config),
            workers=workers,
            timings=timings,
        )
    if baseline_file and args.update_baseline:
        recorded = format_baseline(result, baseline_file.parent)
        _write(str(baseline_file), recorded)
        baseline = parse_baseline(recorded, str(baseline_file))
        count = sum(len(d.findings) for d in result.documents)
        _stderr().print(f"baseline: {count} findings recorded in {baseline_file}")
    if baseline_file and baseline is not None:
        result = apply_baseline(result, baseline, baseline_file.parent)
    fail_on = args.fail_on or config.fail_on
    rules = describe_rules(config.custom_rules)
    with timings.stage("report"):
        for name, output in reports:
            _report(name, output, result, rules, root)
    if args.timings:
        ended = time.perf_counter()
        index_wall = audit_started - indexing_started if sources else 0.0
        _print_timings(timings, ended - audit_started, ended - started, index_wall)
    if result.tool_failed:
        _fail(f"some files could not be audited because of an {INTERNAL_ERROR} (see the report)")
        return EXIT_FAILURE
    return _exit_code(result, fail_on)


def cmd_index_add(args: argparse.Namespace) -> int:
    locations, urls = _split_inputs(args, args.sources)
    if not (locations or urls or args.feed or args.sitemap):
        raise UsageError("nothing to add: give a SOURCE or URL, --urls FILE, --feed or --sitemap")
    config, packs = _configuration(args.config, Path.cwd())
    options = _fetch_options(args, config)
    with (
        open_index(_index_location(args, config)) as index,
        _progress(not args.no_progress) as progress,
    ):
        crawl = _crawl(args, urls, options, progress)
        with _missing_paths_are_usage_errors():
            update = indexing.update_index(index, locations, packs, progress, crawl or ())
        total = index.count()
    console = Console(highlight=False)
    console.print(
        f"{update.added} added, {update.updated} updated, {update.unchanged} unchanged "
        f"(not fingerprinted again), {update.removed} removed; "
        f"{total} sources in {shown(index.location)}"
    )
    if crawl:
        console.print(url_summary(crawl.results))
        for url in unread_listings(crawl.results):  # a page's is among the update's problems
            _stderr().print(Text.assemble(("not read", "yellow"), f": {url.url}: {url.reason}"))
    for where, reason in update.problems:
        _stderr().print(Text.assemble(("not indexed", "yellow"), f": {where}: {reason}"))
    return EXIT_OK


def cmd_index_stats(args: argparse.Namespace) -> int:
    config = _configuration(args.config, Path.cwd())[0]
    with open_index(_index_location(args, config), create=False) as index:
        stats = index.stats()
    if args.format == "json":
        print(json.dumps(stats, indent=2))
        return EXIT_OK
    table = Table(show_header=False, box=None)
    for key, value in stats.items():
        shown = (
            ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else value
        )
        table.add_row(key.replace("_", " "), str(shown))
    Console(highlight=False).print(table)
    return EXIT_OK


def cmd_index_check(args: argparse.Namespace) -> int:
    config = _configuration(args.config, Path.cwd())[0]
    location = _index_location(args, config)
    if not index_exists(location):  # a server that cannot be reached: exit 2 as well
        raise UsageError(f"no index at {shown(location)}")
    try:
        with open_index(location, create=False) as index:
            problems = index.check()
            count = index.count()
    except IndexBusy:
        raise
    except IndexUnavailable as error:
        problems, count = [str(error)], 0
    console = Console(highlight=False, soft_wrap=True)  # paths stay whole
    if problems:
        for problem in problems:
            console.print(Text.assemble(("problem", "red"), f": {problem}"))
        found = f"{len(problems)} {'problem' if len(problems) == 1 else 'problems'}"
        console.print(
            f"{shown(location)}: {found}; if the index itself is damaged, delete it and add the "
            "sources again"
        )
        return EXIT_FINDINGS
    console.print(f"{shown(location)}: OK ({count} sources)")
    return EXIT_OK


def cmd_index_remove(args: argparse.Namespace) -> int:
    config = _configuration(args.config, Path.cwd())[0]
    with open_index(_index_location(args, config), create=False) as index:
        removed = index.remove(args.ids)
    for source_id in removed:
        print(f"removed {source_id}")
    missing = [i for i in args.ids if i not in removed]
    if missing:
        raise UsageError(f"not in the index: {', '.join(missing)}")
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    target = args.target
    try:
        if is_url(target):
            options = _fetch_options(args, _configuration(args.config, Path.cwd())[0])
            from .fetch import fetch_all

            document = page_document(fetch_all([target], options=options)[0])
        elif Path(target).is_file():
            document = extract_file(Path(target), target)
        else:
            raise UsageError(f"no such file: {target}")
    except Unreadable as problem:
        raise UsageError(f"{target}: {problem.reason}") from None
    summary = extraction_summary(document)
    if args.format == "json":
        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    console = Console(highlight=False)
    console.print(Text(f"{summary['path']} ({summary['format']})", "bold"))
    if summary["title"]:
        console.print(Text.assemble(("title: ", "dim"), summary["title"]))
    shown = {k: v for k, v in summary["metadata"].items() if k != "title" and isinstance(v, str)}
    for key, value in sorted(shown.items()):
        console.print(Text.assemble((f"{key}: ", "dim"), value))
    console.print()
    sys.stdout.write(summary["text"].strip("\n") + "\n")
    return EXIT_OK


def cmd_notices(args: argparse.Namespace) -> int:
    config = _configuration(args.config, Path(args.paths[0]))[0]
    with _missing_paths_are_usage_errors():
        from . import engine

        results = engine.read_claims(args.paths, config.exclude, config.base)
    results.sort(key=lambda r: r.path)
    sys.stdout.write(format_notices(results))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    config, in_use = _configuration(args.config, Path.cwd())
    console = Console(highlight=False)
    rules = Table(title="Rules", title_justify="left")
    rules.add_column("Rule")
    rules.add_column("Default")
    rules.add_column("Checks", overflow="fold")
    for rule_id, module in RULES.items():
        rules.add_row(rule_id, module.DEFAULT["severity"], documentation(rule_id).summary)
    console.print(rules)
    packs = Table(title="Publisher packs", title_justify="left")
    for column in ("Pack", "Publisher", "Licence", "Rules"):
        packs.add_column(column, overflow="fold")
    for pack in in_use.values():
        packs.add_row(pack.id, pack.name, pack.license or "", ", ".join(pack.rules))
    console.print(packs)
    if config.custom_rules:
        custom = Table(title=f"Custom rules ({config.path})", title_justify="left")
        for column in ("Rule", "Severity", "Kind", "Checks"):
            custom.add_column(column, overflow="fold")
        for rule in config.custom_rules:
            custom.add_row(rule.id, rule.severity, rule.kind, rule.message)
        console.print(custom)
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    try:
        comparison = compare_files(args.a, args.b)
    except CompareError as error:
        raise UsageError(str(error)) from error
    if args.format == "json":
        sys.stdout.write(format_comparison_json(comparison))
    else:
        render_comparison(comparison, Console(highlight=False), full=args.full)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    config = _configuration(args.config, Path.cwd())[0]
    custom = {rule.id: rule for rule in config.custom_rules}
    if args.rule in custom:
        print(custom[args.rule].describe(str(config.path)))
        return EXIT_OK
    if args.rule not in RULES:
        known = ", ".join([*RULES, *custom])
        raise UsageError(f"unknown rule '{args.rule}'; rules: {known}")
    print(documentation(args.rule).text)
    print(f"\nDefault severity: {RULES[args.rule].DEFAULT['severity']}")
    return EXIT_OK


# -- parser -----------------------------------------------------------------------------------


class _ReportOption(argparse.Action):
    """--format and --output are kept in the order given, so that they can be paired."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        given = list(getattr(namespace, "reports", None) or [])
        namespace.reports = [*given, (self.dest, values)]


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", metavar="FILE", help="configuration file (default: nearest provenance.toml)"
    )


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index", metavar="LOCATION", help=f"index to use (default: {DEFAULT_LOCATION})"
    )
    _config_option(parser)


DEFAULT_FETCH = FetchOptions()


def _web_options(parser: argparse.ArgumentParser, crawl: bool = True) -> None:
    """How URLs are fetched; with ``crawl``, also the lists of URLs to fetch."""
    web = parser.add_argument_group(
        "the web",
        "URLs are fetched politely (robots.txt, a delay and a limit per host, retries with "
        "backoff) and safely (only http(s), public addresses, size and type limits), and "
        "revalidated from an HTTP cache. Every URL ends in the report: fetched, not modified, "
        "skipped by robots.txt, refused or failed, with the reason. Options given here win "
        "over the configuration's [fetch] table.",
    )
    if crawl:
        web.add_argument(
            "--urls",
            action="append",
            metavar="FILE",
            help="fetch the URLs listed in FILE, one per line (# comments; - for standard input)",
        )
        web.add_argument(
            "--feed", action="append", metavar="URL", help="fetch the items of an RSS or Atom feed"
        )
        web.add_argument(
            "--sitemap",
            action="append",
            metavar="URL",
            help="fetch the pages a sitemap lists (sitemap indexes are followed)",
        )
        web.add_argument(
            "--concurrency",
            type=int,
            metavar="N",
            help=f"requests at once in all (default: {DEFAULT_FETCH.concurrency})",
        )
        web.add_argument(
            "--per-host",
            type=int,
            metavar="N",
            help=f"requests at once to one host (default: {DEFAULT_FETCH.per_host})",
        )
        web.add_argument(
            "--delay",
            type=float,
            metavar="SECONDS",
            help="at least this long between two requests to one host "
            f"(default: {DEFAULT_FETCH.delay:g})",
        )
    else:
        parser.set_defaults(concurrency=None, per_host=None, delay=None)
    web.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="give up a request after this long "
        f"(default: {DEFAULT_FETCH.total_timeout:g}; connect "
        f"{DEFAULT_FETCH.connect_timeout:g} s, silence {DEFAULT_FETCH.read_timeout:g} s)",
    )
    web.add_argument(
        "--retries",
        type=int,
        metavar="N",
        help="more attempts after a connection error, 429 or 5xx, honouring Retry-After "
        f"(default: {DEFAULT_FETCH.retries})",
    )
    web.add_argument(
        "--user-agent",
        metavar="TEXT",
        help="the User-Agent sent, and matched against robots.txt; add a contact address "
        f"(default: {USER_AGENT})",
    )
    web.add_argument(
        "--allow-private",
        action="store_true",
        help="allow private, loopback and link-local addresses (refused by default, also "
        "after redirects and DNS resolution)",
    )
    web.add_argument(
        "--allow-network",
        action="append",
        metavar="CIDR",
        help="allow the addresses in this network, e.g. an intranet to audit, while other "
        "private addresses stay refused (repeatable)",
    )
    web.add_argument(
        "--cache-dir",
        default=".provenance",
        metavar="DIR",
        help="where the HTTP cache lives (default: %(default)s); unchanged pages are "
        "revalidated, not downloaded again",
    )
    web.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="provenance",
        description="Find text copied from known source articles and check that every copy carries "
        "the notice, credit and licence terms its publisher requires.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"provenance {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    audit = commands.add_parser(
        "audit",
        help="audit files for copied text and the notices it requires",
        description="Audit files (.md with front matter, .html, .txt) for text copied from indexed "
        "sources, and check each copy against its publisher's terms. Every file under PATH appears "
        "in the report: audited, or skipped/unreadable with the reason. Folders are walked "
        "respecting .gitignore; hidden files are not content.",
        epilog="Findings silenced by a comment in the file (<!-- provenance: ignore RULE -->, "
        "<!-- provenance: ignore-file RULE -->) or recorded in the baseline are reported as "
        "suppressed and do not count. exit codes: 0 no finding at or above --fail-on; "
        "1 such findings; 2 usage error or failure",
    )
    audit.add_argument(
        "paths",
        nargs="*",
        metavar="PATH|URL",
        help="files or folders to audit, or URLs of pages to fetch and audit",
    )
    audit.add_argument(
        "--sources",
        action="append",
        metavar="DIR",
        help="index these sources first (folder or .jsonl; repeatable). Unchanged sources are not "
        "fingerprinted again; sources deleted from DIR leave the index",
    )
    audit.add_argument(
        "--format",
        choices=FORMATS,
        action=_ReportOption,
        help="report format (default: terminal); repeat with an --output each to write several "
        "reports in one run",
    )
    audit.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        action=_ReportOption,
        help="write the report of the --format before it to FILE (atomically)",
    )
    audit.add_argument(
        "--changed-since",
        metavar="REV",
        help="audit only the files under PATH that changed since the git revision REV "
        "(committed, staged, modified or new), e.g. origin/main in a pull request",
    )
    audit.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        help="exit 1 when a finding has this severity or worse (default: error)",
    )
    audit.add_argument(
        "--baseline",
        metavar="FILE",
        help="findings recorded in FILE are reported as suppressed and do not fail the audit "
        "(default: `baseline` in the configuration)",
    )
    audit.add_argument(
        "--update-baseline",
        action="store_true",
        help="record this audit's findings in the baseline file (written atomically), so that "
        "later audits fail only on new findings",
    )
    audit.add_argument(
        "--no-baseline", action="store_true", help="ignore the configured baseline file"
    )
    audit.add_argument("--no-progress", action="store_true", help="no progress bars")
    limits = audit.add_argument_group(
        "limits",
        "Bounds on the work one input may cause, so that hostile input cannot exhaust the "
        "machine. Every limit an input hits is reported with it. Options given here win over "
        "the configuration's [limits] table.",
    )
    limits.add_argument(
        "--max-file-size",
        type=_size,
        metavar="SIZE",
        help="skip (and report) files and pages larger than SIZE, e.g. 20MiB "
        f"(default: {format_size(Limits.max_file_size)})",
    )
    limits.add_argument(
        "--max-align-words",
        type=int,
        metavar="N",
        help="align at most N words per document, its own and its candidate sources' together; "
        "candidates beyond are reported as not compared "
        f"(default: {Limits.max_align_words:,})",
    )
    work = audit.add_argument_group(
        "parallelism",
        "Documents are audited independently of each other, so the work is spread over "
        "processes: on this machine (--jobs), or on a Dask cluster (--dask), whose workers "
        "read the audited files and the index themselves. The report is the same whichever "
        "runs the audit; pages fetched from the web are audited in this process.",
    )
    work.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="audit N documents at once, in N processes (default: `jobs` in the "
        f"configuration, else one per processor: {parallel.cpus()} here; 1: all in this "
        "process). Small inputs are audited in this process whatever N is",
    )
    work.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="audit on a Dask cluster (pip install 'provenance[dask]'): 'local' starts one "
        "with a process per processor on this machine; tcp://HOST:8786 uses a running "
        "cluster's scheduler ('dask scheduler' on one machine, 'dask worker "
        "tcp://HOST:8786 --nthreads 1' on each). Every worker must see the audited files at "
        "the same absolute paths, and the index: use a Redis index (--index "
        "redis://HOST:6379/0) for workers on other machines",
    )
    work.add_argument(
        "--timings",
        action="store_true",
        help="print to standard error the time spent in each stage (discover, extract, "
        "normalise+fingerprint, candidates lookup, align, claims, rules, report), summed over "
        "the workers, the wall time and the documents audited per second; reports do not change",
    )
    _common(audit)
    _web_options(audit)
    audit.set_defaults(run=cmd_audit, reports=[])

    index = commands.add_parser("index", help="build and inspect the source index")
    index_commands = index.add_subparsers(dest="index_command", metavar="COMMAND", required=True)
    add = index_commands.add_parser(
        "add",
        help="add or update sources",
        description="Add sources to the index: folders of .md/.html/.txt/.jsonl, .jsonl files, "
        "and pages from the web (URLs, --urls, --feed, --sitemap; a page's id is its URL, its "
        "fields the page's metadata). New and changed sources are fingerprinted; unchanged ones "
        "are not; sources that were read from a folder before and are gone from it are removed "
        "(pages are not: a feed lists only its latest items).",
        epilog="examples:\n  provenance index add originals/ archive.jsonl\n"
        "  provenance index add --feed https://example.org/feed.xml --user-agent "
        '"our-audit/1.0 (audit@example.org)"\n'
        "  provenance index add --sitemap https://example.org/sitemap.xml --delay 2",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE|URL",
        help="folders or files of sources, or URLs of original articles",
    )
    add.add_argument("--no-progress", action="store_true", help="no progress bars")
    _common(add)
    _web_options(add)
    add.set_defaults(run=cmd_index_add)
    stats = index_commands.add_parser("stats", help="what the index holds")
    stats.add_argument("--format", choices=("terminal", "json"), default="terminal")
    _common(stats)
    stats.set_defaults(run=cmd_index_stats)
    check = index_commands.add_parser(
        "check",
        help="verify the index's integrity",
        description="Verify the index: SQLite's integrity check of the file, band keys of "
        "sources that are gone, sources without a fingerprint, and that the file (or Redis "
        "database) is an index of this version. exit codes: 0 clean; 1 problems found "
        "(listed); 2 no index there, a server that cannot be reached, or another process "
        "kept it locked",
    )
    _common(check)
    check.set_defaults(run=cmd_index_check)
    remove = index_commands.add_parser("remove", help="remove sources by id")
    remove.add_argument("ids", nargs="+", metavar="ID")
    _common(remove)
    remove.set_defaults(run=cmd_index_remove)

    notices = commands.add_parser(
        "notices",
        help="print the claims each file makes (copyright, credit, licence, byline, links …)",
        description="Print, as one JSON object keyed by path, what each file says about its own "
        "provenance: copyright lines (text, years, holder), credit and republication lines, "
        "licences, bylines, links, agency credits, metadata (front matter, HTML meta, schema.org "
        "JSON-LD, rel=canonical) and C2PA text manifests. No index is needed. Folders are walked "
        "as `audit` walks them; a file that cannot be read is listed with the reason.",
        epilog="example:\n  provenance notices content/post.md | jq '.[].copyrights'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    notices.add_argument("paths", nargs="+", metavar="FILE", help="files or folders")
    _config_option(notices)
    notices.set_defaults(run=cmd_notices)

    extract = commands.add_parser(
        "extract",
        help="show the text and metadata the audit sees in a file",
        description="Print the main text the audit reads from a file (for HTML: without "
        "navigation, related links, sign-up boxes and footer) and the metadata it found (front "
        "matter, HTML meta tags, JSON-LD, canonical and licence links, the page's lines outside "
        "the main text). For debugging an audit and for measuring extraction quality.",
        epilog="examples:\n  provenance extract page.html\n"
        "  provenance extract page.html --format json | jq .metadata.canonical\n"
        "  provenance extract "
        "https://www.rferl.org/a/lukashenka-putin-discuss-belarus-protests/30785127.html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument(
        "target", metavar="FILE|URL", help="a .md, .html or .txt file, or a page's URL"
    )
    extract.add_argument(
        "--format",
        choices=("terminal", "json"),
        default="terminal",
        help="terminal: the metadata's text fields, then the text; json: everything, as "
        '{"path", "format", "title", "metadata", "text"}',
    )
    _web_options(extract, crawl=False)
    _config_option(extract)
    extract.set_defaults(run=cmd_extract)

    rules = commands.add_parser(
        "rules", help="list the rules, the publisher packs and the configuration's custom rules"
    )
    _config_option(rules)
    rules.set_defaults(run=cmd_rules)
    compare = commands.add_parser(
        "compare",
        help="show the passages two texts share, side by side",
        description="Show the passages text A copies from text B side by side, with source "
        "coverage (how much of B is in A), target share (how much of A comes from B) and the "
        "words edited in each passage.",
        epilog=COMPARE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("a", metavar="A", help="the text being checked (target)")
    compare.add_argument("b", metavar="B", help="the source it may copy")
    compare.add_argument(
        "--format",
        choices=("terminal", "json"),
        default="terminal",
        help="output format (default: terminal)",
    )
    compare.add_argument(
        "--full",
        action="store_true",
        help=f"print long passages whole (by default passages over {LONG_PASSAGE} words keep "
        "their edits and the words around them, and long identical stretches are cut)",
    )
    compare.set_defaults(run=cmd_compare)

    explain = commands.add_parser(
        "explain", help="show a rule's documentation (built-in, or a custom rule's definition)"
    )
    explain.add_argument("rule", metavar="RULE")
    _config_option(explain)
    explain.set_defaults(run=cmd_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except (
        UsageError,
        ConfigError,
        PackError,
        IndexUnavailable,
        BaselineError,
        parallel.WorkersUnavailable,
    ) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        _fail("interrupted")
    except Exception as error:  # a bug, not a finding: exit 2, never 1
        _fail(f"internal error: {type(error).__name__}: {error}")
        if os.environ.get("PROVENANCE_DEBUG"):
            raise
    return EXIT_FAILURE


def _fail(message: str) -> None:
    # Not wrapped: a "FILE:LINE: …" message must stay whole for editors and CI logs to read.
    _stderr().print(Text.assemble(("provenance: ", "bold red"), message), soft_wrap=True)


if __name__ == "__main__":
    sys.exit(main())
