"""tools/build_scripts.py: mapper.py and reducer.py are built from the package, never edited by hand."""

import ast
import importlib.util
import shutil
import subprocess
import sys

import pytest

from pipeline import REPO, pyenv_python_or_skip

_spec = importlib.util.spec_from_file_location("build_scripts", REPO / "tools" / "build_scripts.py")
build_scripts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_scripts)


@pytest.mark.parametrize("script", sorted(build_scripts.SCRIPTS))
def test_the_committed_script_is_a_fresh_build(script):
    committed = (REPO / script).read_text(encoding="utf-8")
    assert committed == build_scripts.build(script), (
        "{} differs from a fresh build of the package's modules: run 'make scripts' and commit it".format(script))


@pytest.mark.parametrize("script", sorted(build_scripts.SCRIPTS))
def test_the_script_imports_only_the_standard_library(script):
    tree = ast.parse((REPO / script).read_bytes())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "a relative import survived the build"
            imported.add(node.module.split(".")[0])
    assert imported and imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)
    assert "sys.path" not in (REPO / script).read_text()


def package_copy(tmp_path):
    shutil.copytree(REPO / "hashtagcount", tmp_path / "hashtagcount", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_a_change_to_the_rule_changes_the_built_mapper(tmp_path):
    root = package_copy(tmp_path)
    rule = root / "hashtagcount" / "hashtags.py"
    rule.write_text(rule.read_text().replace("text = text.lower()", "text = text.casefold()"))
    rebuilt = build_scripts.build("mapper.py", root)
    assert "text = text.casefold()" in rebuilt
    assert rebuilt != (REPO / "mapper.py").read_text(encoding="utf-8")


def test_the_build_refuses_two_modules_defining_one_name(tmp_path):
    root = package_copy(tmp_path)
    hadoop = root / "hashtagcount" / "hadoop.py"
    hadoop.write_text(hadoop.read_text() + "\n_LINE_BREAKS = None\n")
    with pytest.raises(build_scripts.BuildError, match="_LINE_BREAKS"):
        build_scripts.build("mapper.py", root)


def test_the_build_refuses_a_third_party_import(tmp_path):
    root = package_copy(tmp_path)
    totals = root / "hashtagcount" / "totals.py"
    totals.write_text("import msgspec\n" + totals.read_text())
    with pytest.raises(build_scripts.BuildError, match="msgspec"):
        build_scripts.build("reducer.py", root)


def test_check_mode_names_a_stale_script_and_the_command(tmp_path, capsys, monkeypatch):
    root = package_copy(tmp_path)
    for script in build_scripts.SCRIPTS:
        (root / script).write_text(build_scripts.build(script, root))
    (root / "reducer.py").write_text("#!/usr/bin/env python3\n# edited by hand\n")
    monkeypatch.setattr(build_scripts, "ROOT", root)
    assert build_scripts.main(["--check"]) == 1
    assert capsys.readouterr().err == "stale: reducer.py (run 'make scripts')\n"
    assert (root / "reducer.py").read_text().endswith("# edited by hand\n")  # --check changes nothing
    assert build_scripts.main([]) == 0
    assert (root / "reducer.py").read_text() == build_scripts.build("reducer.py", root)


@pytest.mark.parametrize("minor", ["3.8", "3.9", "3.12", "3.13"])
def test_every_python_that_can_build_builds_the_same_bytes(minor):
    python = pyenv_python_or_skip(minor)
    done = subprocess.run([str(python), str(REPO / "tools" / "build_scripts.py"), "--check"], capture_output=True)
    assert (done.returncode, done.stderr) == (0, b""), done.stderr.decode()
