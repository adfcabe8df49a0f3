"""config.toml validation: every mistake is a one-line error naming the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from arshif.config import ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parents[1]

GOOD = """
[archive]
data_dir = "store"
contact = "mailto:archive@example.org"
delay = 2
max_articles_per_site = 40
timeout = 15
allow_private = true
max_bytes = 2000000

[[sites]]
name = "alpha"
url = "https://www.alpha.example/"
feeds = ["https://www.alpha.example/rss.xml"]
article_pattern = "/news/\\\\d+"
delay = 5

[[sites]]
name = "beta"
url = "https://beta.example/"
sections = ["https://beta.example/latest"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_is_typed_and_resolved(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.data_dir == tmp_path / "store"  # relative to the config file
    assert config.delay == 2.0 and isinstance(config.delay, float)
    assert config.allow_private is True
    assert [s.name for s in config.sites] == ["alpha", "beta"]
    alpha = config.sites[0]
    assert alpha.feeds == ["https://www.alpha.example/rss.xml"] and alpha.sitemaps == []
    assert alpha.host == "www.alpha.example"
    settings = config.fetch_settings()
    assert settings.contact == "mailto:archive@example.org"
    assert settings.read_timeout == 15 and settings.max_bytes == 2000000
    assert settings.allow_private is True
    assert settings.host_delays["www.alpha.example"] == 5


def test_allow_private_defaults_to_false(tmp_path):
    config = load_config(write(tmp_path, '[[sites]]\nname = "a"\nurl = "https://a.example/"\n'))
    assert config.allow_private is False
    assert config.fetch_settings().allow_private is False


@pytest.mark.parametrize(
    "edit, needle",
    [
        (("delay = 2", "dely = 2"), "'dely'"),
        (("delay = 2", 'delay = "2"'), "archive.delay"),
        (("delay = 2", "delay = -1"), "archive.delay"),
        (("allow_private = true", "allow_private = 1"), "archive.allow_private"),
        (("max_articles_per_site = 40", "max_articles_per_site = 4.5"), "max_articles_per_site"),
        (('name = "beta"', 'name = "../etc"'), "sites[1].name"),
        (('name = "beta"', 'name = "alpha"'), "duplicate"),
        (('url = "https://beta.example/"', 'url = "ftp://beta.example/"'), "sites.beta.url"),
        (('feeds = ["https://www.alpha.example/rss.xml"]', 'feeds = "x"'), "sites.alpha.feeds"),
        (('article_pattern = "/news/\\\\d+"', 'article_pattern = "(["'), "article_pattern"),
        (('delay = 5', 'delai = 5'), "'delai'"),
        (("[archive]", "[archiv]"), "'archiv'"),
    ],
)
def test_each_mistake_names_its_key(tmp_path, edit, needle):
    old, new = edit
    assert old in GOOD
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD.replace(old, new, 1)))
    message = str(info.value)
    assert needle in message and "\n" not in message


def test_unreadable_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(write(tmp_path, "[archive\n"))
    with pytest.raises(ConfigError, match="missing.toml"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="missing required key 'url'"):
        parse_config({"sites": [{"name": "x"}]})


def test_cli_bad_config_exits_2_with_one_line(tmp_path):
    path = write(tmp_path, GOOD.replace("timeout = 15", "timeout = 'soon'"))
    proc = subprocess.run(
        [sys.executable, "-m", "arshif", "archive", "--config", str(path)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "archive.timeout" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert not (tmp_path / "store").exists()  # nothing ran


def test_shipped_config_is_valid():
    config = load_config(ROOT / "config.toml")
    assert len(config.sites) >= 8
    assert config.allow_private is False
    hosts = {s.host for s in config.sites}
    assert len(hosts) == len(config.sites)
    for site in config.sites:
        assert site.feeds or site.sitemaps or site.sections


def test_profiles_are_checked_before_the_run(tmp_path):
    site = '[[sites]]\nname = "a"\nurl = "https://a.example/"\n'
    with pytest.raises(ConfigError, match="sites.a.profile: unknown profile 'nope'"):
        load_config(write(tmp_path, site + 'profile = "nope"\n'))
    with pytest.raises(ConfigError, match="profiles"):
        load_config(write(tmp_path, site + "[[profiles]]\ndomains = ['a.example']\n"))
    ok = load_config(write(tmp_path, site + 'profile = "mine"\n[[profiles]]\nname = "mine"\nbody_xpath = "//article"\n'))
    assert ok.sites[0].profile == "mine" and ok.profiles[0]["name"] == "mine"


def test_data_dir_that_is_a_file_is_a_config_error(tmp_path):
    (tmp_path / "afile").write_text("x")
    path = write(tmp_path, GOOD)
    proc = subprocess.run(
        [sys.executable, "-m", "arshif", "archive", "--config", str(path), "--data-dir", str(tmp_path / "afile")],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2 and "data_dir" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "afile").read_text() == "x"
