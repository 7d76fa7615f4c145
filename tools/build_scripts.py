#!/usr/bin/env python3
"""Build ``mapper.py`` and ``reducer.py``: one self-contained file each (``make scripts``).

Hadoop Streaming ships the two scripts and nothing else, so each must run
alone; the counting rule, the framing, the pre-check and the counter
protocol must still be written once.  Like SQLite's amalgamation, each
script is *generated*: the script's entry module (``hashtagcount/*_main.py``)
and every package module it imports, directly or not, concatenated in
dependency order, with the package-relative imports removed (all the code
then shares one namespace) and the standard-library imports gathered at the
top.  The output depends only on the sources, so a test rebuilds both
scripts and fails when a committed one differs.

    python3 tools/build_scripts.py           # rewrite mapper.py and reducer.py
    python3 tools/build_scripts.py --check   # exit 1, naming them, if either is stale

It runs on Python 3.8+ (it needs the end line numbers of ``ast``); the
scripts it writes run on 3.7+.

The build refuses what would change meaning once namespaces merge: a name
defined at top level by two of a script's modules, a package-relative
import anywhere but at a module's top level, ``import`` of a package
module as a whole, and any import outside the standard library.
"""

import argparse
import ast
import re
import sys
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple  # noqa: F401 (type comments)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "hashtagcount"
SCRIPTS = {"mapper.py": "mapper_main", "reducer.py": "reducer_main"}
COMMAND = "make scripts"


class BuildError(Exception):
    """A source the build cannot merge safely, named with the reason."""


class Module:
    """One package module, parsed: its docstring, imports and the rest of its text."""

    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self.path = root / PACKAGE / (name + ".py")
        self.relpath = "{}/{}.py".format(PACKAGE, name)
        text = self.path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=self.relpath)
        self.lines = text.splitlines()
        self.docstring = ast.get_docstring(tree, clean=True) or ""
        self.depends = []  # type: List[str]
        self.aliases = []  # type: List[Tuple[str, str]]  # (local name, name in the merged namespace)
        self.stdlib = []  # type: List[ast.stmt]
        drop = set()  # type: Set[int]
        body = tree.body
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                and isinstance(body[0].value.value, str):
            drop.update(range(body[0].lineno, body[0].end_lineno + 1))
            body = body[1:]
        for node in body:
            if isinstance(node, ast.ImportFrom) and node.level:
                self._relative(node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                self._check_stdlib(node)
                self.stdlib.append(node)
            else:
                continue
            drop.update(range(node.lineno, node.end_lineno + 1))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level and node not in body:
                raise BuildError("{}:{}: a package import must be at the module's top level".format(
                    self.relpath, node.lineno))
        self.defined = _top_level_names(body)
        kept = [line for number, line in enumerate(self.lines, 1) if number not in drop]
        self.body = _tidy(kept)

    def _relative(self, node: ast.ImportFrom) -> None:
        if node.level != 1:
            raise BuildError("{}:{}: only imports from this package's own modules can be merged".format(
                self.relpath, node.lineno))
        if node.module is None:  # from . import __version__
            for alias in node.names:
                if alias.name != "__version__" or alias.asname:
                    raise BuildError("{}:{}: import names from a module ('from .records import x'), "
                                     "not modules".format(self.relpath, node.lineno))
            return
        self.depends.append(node.module)
        for alias in node.names:
            if alias.asname and alias.asname != alias.name:
                self.aliases.append((alias.asname, alias.name))

    def _check_stdlib(self, node: ast.stmt) -> None:
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        stdlib = getattr(sys, "stdlib_module_names", None)
        for name in names:
            top = name.split(".")[0]
            if top == "__future__":
                raise BuildError("{}:{}: __future__ imports cannot be merged".format(self.relpath, node.lineno))
            if top == PACKAGE or (stdlib is not None and top not in stdlib):
                raise BuildError("{}:{}: imports {}, which a node with only the standard library "
                                 "does not have".format(self.relpath, node.lineno, name))


def _top_level_names(body: List[ast.stmt]) -> Set[str]:
    names = set()  # type: Set[str]
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    names.discard("__name__")
    return names


def _tidy(lines: List[str]) -> List[str]:
    """Drop leading and trailing blank lines and runs of more than two."""
    out = []  # type: List[str]
    blanks = 0
    for line in lines:
        if line.strip():
            if out:
                out.extend([""] * min(blanks, 2))
            out.append(line)
            blanks = 0
        else:
            blanks += 1
    return out


def modules_of(entry: str, root: Path) -> List[Module]:
    """``entry`` and every module it needs, each after the modules it imports."""
    ordered = []  # type: List[Module]
    placed = set()  # type: Set[str]
    visiting = []  # type: List[str]

    def visit(name: str) -> None:
        if name in placed:
            return
        if name in visiting:
            raise BuildError("import cycle: {}".format(" -> ".join(visiting + [name])))
        visiting.append(name)
        module = Module(name, root)
        for dependency in sorted(set(module.depends)):
            visit(dependency)
        visiting.pop()
        placed.add(name)
        ordered.append(module)

    visit(entry)
    return ordered


def _imports(modules: List[Module]) -> List[str]:
    """The modules' standard-library imports, merged and sorted: ``import x`` lines, then ``from``."""
    plain = set()  # type: Set[str]
    names = {}  # type: Dict[str, Set[str]]
    for module in modules:
        for node in module.stdlib:
            if isinstance(node, ast.Import):
                plain.update(a.name if not a.asname else "{} as {}".format(a.name, a.asname) for a in node.names)
            else:
                names.setdefault(node.module, set()).update(
                    a.name if not a.asname else "{} as {}".format(a.name, a.asname) for a in node.names)
    lines = ["import {}".format(name) for name in sorted(plain)]
    lines.extend("from {} import {}".format(m, ", ".join(sorted(names[m]))) for m in sorted(names))
    return lines


def version(root: Path) -> str:
    text = (root / PACKAGE / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.M)
    if not found:
        raise BuildError("{}/__init__.py: no __version__ = \"...\" line".format(PACKAGE))
    return found.group(1)


def build(script: str, root: Path = ROOT) -> str:
    """The text of ``script`` ("mapper.py" or "reducer.py") built from the sources under ``root``."""
    modules = modules_of(SCRIPTS[script], root)
    owner = {}  # type: Dict[str, str]
    for module in modules:
        for name in sorted(module.defined):
            if name in owner:
                raise BuildError("{}: {} and {} both define {!r} at top level; rename one, since "
                                 "{} merges them into one namespace".format(
                                     script, owner[name], module.relpath, name, script))
            owner[name] = module.relpath
    entry = modules[-1]
    sources = [m.relpath for m in modules] + ["{}/__init__.py (the version)".format(PACKAGE)]
    out = ["#!/usr/bin/env python3", "# {}: GENERATED by tools/build_scripts.py from".format(script)]
    out.extend("#     " + source for source in sources)
    out.extend([
        "# Do not edit: change those files and run '{}' (a test fails while this file is stale).".format(COMMAND),
        '"""' + entry.docstring.replace('"""', '\\"\\"\\"') + '\n"""',
        "",
    ])
    out.extend(_imports(modules))
    out.extend(["", '__version__ = "{}"'.format(version(root))])
    for module in modules:
        out.extend(["", "", "# " + "-" * 3 + " " + module.relpath + " " + "-" * max(3, 72 - len(module.relpath))])
        if module is not entry:
            out.extend(("# " + line).rstrip() for line in module.docstring.splitlines())
            out.append("")
        out.extend(module.body)
        for local, merged in module.aliases:
            out.append("{} = {}".format(local, merged))
    return "\n".join(out) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Build mapper.py and reducer.py from the package's modules.")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 naming each script that differs from a fresh build")
    args = parser.parse_args(argv)
    if sys.version_info < (3, 8):
        sys.stderr.write("build_scripts.py: needs Python 3.8+ (run it as 'make scripts PYTHON=python3.X')\n")
        return 2
    stale = []
    for script in SCRIPTS:
        try:
            text = build(script)
        except BuildError as error:
            sys.stderr.write("build_scripts.py: {}\n".format(error))
            return 2
        path = ROOT / script
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(script)
        if not args.check:
            path.write_text(text, encoding="utf-8")
            path.chmod(0o755)
            print("wrote {}".format(script))
    if args.check and stale:
        sys.stderr.write("stale: {} (run '{}')\n".format(", ".join(stale), COMMAND))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
