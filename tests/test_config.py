"""Configuration: discovery, validation, and errors that point at the offending line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from provenance.config import Config, ConfigError, key_lines, load_config, resolve_config

RULE_IDS = {"missing-notice", "third-party-content"}
PACKS = {"rferl": "RFE/RL", "ap": "Associated Press"}


def publisher(name: str) -> str | None:
    """A stand-in for the packs: an id, or a publisher's name in any case."""
    by_name = {v.casefold(): k for k, v in PACKS.items()}
    return name.casefold() if name.casefold() in PACKS else by_name.get(name.casefold())


def write(folder: Path, text: str, name: str = "provenance.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path).resolve_names(RULE_IDS, publisher)
    return str(caught.value)


def assert_error_at(path: Path, line: int, words: str) -> None:
    message = error_of(path)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message


FULL = """\
sources = ["originals"]
baseline = "baseline.json"

[site]
commercial = true
licences = ["AP", "rferl"]
license = "CC-BY-4.0"

[rules]
third-party-content = "error"
missing-notice = "off"
house-credit = "info"

[[custom-rules]]
id = "house-credit"
kind = "require"
pattern = '(?i)^Editor: '
message = "every article names its editor"

[[custom-rules]]
id = "no-wire"
kind = "forbid"
pattern = "(?i)\\\\(AP\\\\)"
message = "no wire copy"
publishers = ["RFE/RL"]
"""


def test_full_configuration(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL)).resolve_names(RULE_IDS, publisher)
    assert config.sources == (str(tmp_path / "originals"),)
    assert config.baseline == str(tmp_path / "baseline.json")
    assert config.site.commercial is True
    assert config.site.licences == ("ap", "rferl")  # names become pack ids
    assert config.site.license == "CC-BY-4.0"
    assert config.severities == {"third-party-content": "error", "missing-notice": "off"}
    credit, wire = config.custom_rules
    assert (credit.id, credit.kind, credit.severity) == ("house-credit", "require", "info")
    assert credit.patterns["pattern"].source == "(?i)^Editor: "
    assert wire.publishers == ("rferl",) and wire.severity == "warning"


def test_a_custom_rule_switched_off_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, FULL.replace('house-credit = "info"', 'house-credit = "off"'))
    assert [r.id for r in load_config(path).custom_rules] == ["no-wire"]


def test_an_index_path_is_relative_to_the_file_a_server_address_is_not(tmp_path: Path) -> None:
    path = write(tmp_path, 'index = "cache/index.sqlite"\n')
    assert load_config(path).index == str(tmp_path / "cache" / "index.sqlite")
    path = write(tmp_path, 'index = "redis://127.0.0.1:6379/2"\n')
    assert load_config(path).index == "redis://127.0.0.1:6379/2"


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = resolve_config(None, tmp_path)
    assert config == Config()
    assert config.site.commercial is False and config.custom_rules == ()
    assert config.resolve_names(RULE_IDS, publisher) is config


def test_found_upward_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path, '[project]\nname = "x"\n\n[tool.provenance.site]\ncommercial = true\n',
          "pyproject.toml")  # fmt: skip
    (tmp_path / "content/world").mkdir(parents=True)
    config = resolve_config(None, tmp_path / "content/world")
    assert config.path == tmp_path / "pyproject.toml" and config.site.commercial


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('sources = ["a"]\n\ncolour = "red"\n', 3, "unknown key 'colour'"),
        ('exclued = ["a"]\n', 1, "did you mean 'exclude'?"),
        ('fail-on = "sometimes"\n', 1, "'fail-on' must be one of"),
        ("packs = [\n  'a.toml',\n  3,\n]\n", 3, "'packs[1]' must be a str"),
        ('[site]\n\ncommercial = "yes"\n', 3, "'site.commercial' must be true or false"),
        ('site = {commercial = true, licence = "x"}\n', 1, "unknown key 'site.licence'"),
        ('site.commercial = true\nsite.licences = "ap"\n', 2, "'site.licences' must be a list"),
        ('[site]\nlicences = ["ap", "upi"]\n', 2, "no publisher pack for 'upi'"),
        ('[rules]\nmissing-notice = "warning"\nno-such-rule = "off"\n', 3, "unknown rule"),
        ('[rules]\n"missing-notice" = "fatal"\n', 2, "'rules.missing-notice' must be one of"),
        ("baseline = 3\n", 1, "'baseline' must be a str"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    assert_error_at(write(tmp_path, text), line, words)


CUSTOM = """\
# a comment
[[custom-rules]]
id = "ok-rule"
kind = "forbid"
pattern = "x"
message = "m"

[[custom-rules]]
id = "second"
kind = "{kind}"
{extra}
message = "m"
"""


@pytest.mark.parametrize(
    ("kind", "extra", "line", "words"),
    [
        ("forbid", "pattern = '(a'", 11, "invalid pattern: missing ): (a"),
        ("forbid", "pattern = '(?<=a)b'", 11, "invalid perl operator"),
        ("forbid", "", 8, "a 'forbid' rule needs 'pattern'"),
        ("if-then", "if = 'a'", 8, "needs 'then'"),
        ("require", "pattern = 'a'\nthen = 'b'", 12, "takes 'pattern', not 'then'"),
        ("sometimes", "pattern = 'a'", 10, "'custom-rules[1].kind' must be one of"),
        ("forbid", "pattern = 'a'\ncolour = 1", 12, "unknown key 'custom-rules[1].colour'"),
        ("forbid", "pattern = 'a'\nseverity = 'fatal'", 12, "'custom-rules[1].severity'"),
        ("forbid", "pattern = 'a'\npaths = 'content/'", 12, "'custom-rules[1].paths'"),
        ("forbid", "pattern = 'a'\npublishers = ['nobody']", 12, "no publisher pack for"),
    ],
)
def test_custom_rule_errors_point_at_the_key(
    tmp_path: Path, kind: str, extra: str, line: int, words: str
) -> None:
    assert_error_at(write(tmp_path, CUSTOM.format(kind=kind, extra=extra)), line, words)


@pytest.mark.parametrize(
    ("first", "second", "words"),
    [
        ("same", "same", "two custom rules have this id"),
        ("ok-rule", "Second_Rule", "lowercase words joined by dashes"),
        ("ok-rule", "missing-notice", "is a built-in rule"),
    ],
)
def test_custom_rule_ids(tmp_path: Path, first: str, second: str, words: str) -> None:
    text = CUSTOM.format(kind="forbid", extra="pattern = 'a'")
    text = text.replace('"ok-rule"', f'"{first}"').replace('"second"', f'"{second}"')
    assert_error_at(write(tmp_path, text), 9, words)


def test_custom_rules_in_pyproject_point_at_their_lines(tmp_path: Path) -> None:
    text = (
        '[tool.other]\nx = 1\n\n[tool.provenance]\nfail-on = "warning"\n\n'
        '[[tool.provenance.custom-rules]]\nid = "a"\nkind = "forbid"\npattern = "x"\n'
        'message = "m"\n\n[[tool.provenance.custom-rules]]\nid = "b"\nkind = "forbid"\n'
        'pattern = "(x"\nmessage = "m"\n'
    )
    assert_error_at(write(tmp_path, text, "pyproject.toml"), 16, "b: invalid pattern")


def test_toml_syntax_errors_give_line_and_column(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, 'sources = ["a"]\nfail-on = \n'))
    assert re.match(rf"{re.escape(str(tmp_path))}/provenance.toml:2:\d+: invalid TOML: \w", message)


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "provenance.toml").write_bytes(b"sources = ['\xff']\n")
    assert "not UTF-8" in error_of(tmp_path / "provenance.toml")
    with pytest.raises(ConfigError, match="configuration file not found"):
        resolve_config(str(tmp_path / "nope.toml"), tmp_path)


TRICKY = """\
top = 1 # comment = not a key
"quoted.key" = 'value with [brackets] and {braces}'
a.b . c = 2
text = \"\"\"
not = "a key"
[not.a.table]
\"\"\"
literal = '''
also = "not a key"
'''
array = [
  1, # comment
  { name = "x", nested = { deep = true } },
  [2, 3],
]
inline = { x = 1, y.z = 2 }

[table]   # comment
key = "v\\"still the string = here"

[[fruits]]
name = "apple"

[fruits.physical]
colour = "red"

[[fruits.varieties]]
name = "red delicious"

[[fruits.varieties]]
name = "granny smith"

[[fruits]]
name = "banana"

[[fruits.varieties]]
name = "plantain"
"""


def test_key_lines_on_tricky_layouts() -> None:
    lines = key_lines(TRICKY)
    assert lines[("top",)] == 1
    assert lines[("quoted.key",)] == 2
    assert lines[("a", "b", "c")] == 3 and lines[("a",)] == 3
    assert lines[("text",)] == 4 and lines[("literal",)] == 8
    assert ("not",) not in lines and ("also",) not in lines
    assert lines[("array", 1)] == 13 and lines[("array", 1, "nested", "deep")] == 13
    assert lines[("array", 2)] == 14
    assert lines[("inline", "y", "z")] == 16
    assert lines[("table",)] == 18 and lines[("table", "key")] == 19
    assert lines[("fruits", 0, "name")] == 22
    assert lines[("fruits", 0, "physical", "colour")] == 25
    assert lines[("fruits", 0, "varieties", 1, "name")] == 31
    assert lines[("fruits", 1)] == 33
    assert lines[("fruits", 1, "varieties", 0, "name")] == 37


def test_key_lines_with_windows_line_ends() -> None:
    lines = key_lines('a = 1\r\n\r\n[site]\r\ncommercial = "x"\r\n')
    assert lines[("site", "commercial")] == 4
