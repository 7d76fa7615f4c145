"""The README and every command's ``--help`` mirror each other."""

import re
import subprocess
import sys

import pytest

from command import REPO, hashtag_count

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = [("top",), ("inputs",), ("emr", "run"), ("emr", "status"), ("emr", "logs"), ("emr", "fetch"),
            ("emr", "terminate")]
SCRIPTS = ["mapper.py", "reducer.py"]
_OPTION_LINE = re.compile(r"^  (-\w[ \w{},.]*, )?(--[\w-]+)")


def in_readme(option):
    return re.search(r"(?<![\w-]){}(?![\w-])".format(re.escape(option)), README) is not None


def long_options(help_text):
    """The long options a ``--help`` lists, one per option line (``--help`` itself left out)."""
    found = {m.group(2) for m in map(_OPTION_LINE.match, help_text.splitlines()) if m}
    return found - {"--help"}


def command_help(words):
    done = hashtag_count(*words, "--help")
    assert done.returncode == 0, done.stderr
    return done.stdout


def script_help(script):
    done = subprocess.run([sys.executable, str(REPO / script), "--help"], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_long_option_of_a_command_is_in_the_readme(words):
    options = long_options(command_help(words))
    assert options, "no option found in the help of " + " ".join(words)
    missing = sorted(o for o in options if not in_readme(o))
    assert not missing, "README.md never shows {} of {}".format(", ".join(missing), " ".join(words))


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_long_option_of_a_script_is_in_the_readme(script):
    missing = sorted(o for o in long_options(script_help(script)) if not in_readme(o))
    assert not missing, "README.md never shows {} of {}".format(", ".join(missing), script)


def test_the_emr_run_options_table_lists_exactly_the_options_of_emr_run():
    table = README.split("### Options of `hashtag-count emr run`", 1)[1].split("\n### ", 1)[0]
    first_cells = [row.split("|")[1] for row in table.splitlines() if row.startswith("| `")]
    in_table = {o for cell in first_cells for o in re.findall(r"--[\w-]+", cell)}
    assert in_table == long_options(command_help(("emr", "run")))
