"""The README's EMR parts name what is really there."""

import re

from pipeline import REPO


def test_the_layout_names_every_module_of_the_launcher():
    layout = REPO.joinpath("README.md").read_text(encoding="utf-8").split("## Layout", 1)[1]
    entry = re.search(r"^emr/ .*\n(?:^ {20,}.*\n)*", layout, re.MULTILINE).group(0)
    named = set(re.findall(r"\w+", entry))
    modules = {path.stem for path in REPO.joinpath("emr").glob("*.py")} - {"__init__"}
    assert modules - named == set()
