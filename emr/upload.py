"""Ship the two streaming scripts to S3 under a key named by their content.

``mapper.py`` and ``reducer.py`` are each one standard-library file, so
they are all a task needs: ``-files`` lists exactly those two, as the EMR
console's streaming step and every Hadoop Streaming tutorial do.  The
SHA-256 of the pair names their S3 folder: a rerun with changed code can
never pick up stale scripts, two versions never collide, and unchanged
code is not uploaded again.
"""

import ast
import hashlib
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, TextIO

from hashtagcount.aws import NOT_FOUND_CODES, client_error_code, parse_s3_uri, s3_error
from hashtagcount.errors import UserError

from .plan import Code

SCRIPTS = ("mapper.py", "reducer.py")
_SHA_METADATA = "sha256"


def source_root() -> Path:
    """The checkout holding ``mapper.py`` and ``reducer.py`` beside ``hashtagcount/``."""
    import hashtagcount

    return Path(hashtagcount.__file__).resolve().parent.parent


def foreign_imports(path: Path) -> List[str]:
    """Top-level modules ``path`` imports that a node lacks: the package itself, or not the standard library.

    Python before 3.10 cannot list its standard library, so there only the
    package is looked for.
    """
    tree = ast.parse(path.read_bytes(), filename=str(path))
    names = set()  # type: Set[str]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    stdlib = getattr(sys, "stdlib_module_names", None)
    return sorted(n for n in names if n == "hashtagcount" or (stdlib is not None and n not in stdlib
                                                                and n != "__future__"))


class Bundle:
    """The two scripts to upload, their bytes, and the digest naming their folder."""

    def __init__(self, files: Dict[str, bytes], sources: Dict[str, Path]) -> None:
        self.files = files
        self.sources = sources
        digest = hashlib.sha256()
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
        self.digest = digest.hexdigest()

    def folder(self, code_uri: str) -> str:
        return "{}/code/{}".format(code_uri.rstrip("/"), self.digest[:16])

    def code(self, code_uri: str) -> Code:
        folder = self.folder(code_uri)
        return Code(folder + "/mapper.py", folder + "/reducer.py")

    def uploads(self, code_uri: str) -> List[Dict[str, str]]:
        """``[{"source": local path, "dest": s3 uri}]`` in upload order."""
        folder = self.folder(code_uri)
        return [
            {"source": str(self.sources[name]), "dest": folder + "/" + name}
            for name in sorted(self.files)
        ]


def build_bundle(root: Optional[Path] = None) -> Bundle:
    """Read the two scripts, refusing one that would fail on a node for want of a module."""
    root = source_root() if root is None else root
    sources = {name: root / name for name in SCRIPTS}
    for path in sources.values():
        foreign = foreign_imports(path)
        if foreign:
            raise UserError(
                "{} imports {}, which EMR nodes do not have: the script travels alone and may use "
                "the standard library only (rebuild it with: make scripts)".format(path, ", ".join(foreign))
            )
    return Bundle({name: path.read_bytes() for name, path in sources.items()}, sources)


def upload(s3: Any, bundle: Bundle, code_uri: str, out: TextIO) -> None:
    """Put the bundle's files under their content-addressed keys, skipping those already there."""
    import botocore.exceptions

    for item in bundle.uploads(code_uri):
        name = item["dest"].rsplit("/", 1)[1]
        data = bundle.files[name]
        sha = hashlib.sha256(data).hexdigest()
        bucket, key = parse_s3_uri(item["dest"])
        try:
            head = s3.head_object(Bucket=bucket, Key=key)
        except botocore.exceptions.ClientError as error:
            if client_error_code(error)[0] not in NOT_FOUND_CODES:
                raise s3_error(item["dest"], error)
            head = None
        except botocore.exceptions.BotoCoreError as error:
            raise s3_error(item["dest"], error)
        if head is not None and head.get("Metadata", {}).get(_SHA_METADATA) == sha:
            print("code: {} is up to date".format(item["dest"]), file=out)
            continue
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=data, Metadata={_SHA_METADATA: sha})
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            raise s3_error(item["dest"], error)
        print("code: uploaded {} ({:,} bytes)".format(item["dest"], len(data)), file=out)
