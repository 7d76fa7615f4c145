"""Ship the streaming scripts to S3 under a key named by their content.

``mapper.py`` and ``reducer.py`` import the stdlib-only core of the
``hashtagcount`` package; the modules they need travel beside them as
``hashtagcount.zip`` (Python imports from a zip on ``sys.path``).  The zip
is built byte for byte the same from the same sources (fixed timestamps,
sorted entries), so the SHA-256 of the three files names their S3 folder:
a rerun with changed code can never pick up stale scripts, two versions
never collide, and unchanged code is not uploaded again.
"""

import ast
import hashlib
import io
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, TextIO, Tuple

from hashtagcount.aws import NOT_FOUND_CODES, client_error_code, parse_s3_uri, s3_error
from hashtagcount.errors import UserError

from .plan import Code

PACKAGE = "hashtagcount"
SCRIPTS = ("mapper.py", "reducer.py")
ZIP_NAME = PACKAGE + ".zip"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_SHA_METADATA = "sha256"


def source_root() -> Path:
    """The checkout holding ``mapper.py``, ``reducer.py`` and ``hashtagcount/``."""
    import hashtagcount

    return Path(hashtagcount.__file__).resolve().parent.parent


def _imports_of(path: Path) -> Set[str]:
    """Modules of the package that the file at ``path`` imports (absolute or relative)."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    found = set()  # type: Set[str]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == PACKAGE and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.split(".")[0] == PACKAGE:
                parts = node.module.split(".")
                if len(parts) > 1:
                    found.add(parts[1])
                else:
                    found.update(alias.name for alias in node.names)
    return found


def _third_party_imports(path: Path) -> List[str]:
    """Top-level imports of ``path`` that are neither the stdlib nor the package itself."""
    stdlib = getattr(sys, "stdlib_module_names", None)
    if stdlib is None:  # Python < 3.10 cannot tell; the tests run on newer versions
        return []
    tree = ast.parse(path.read_bytes(), filename=str(path))
    names = set()  # type: Set[str]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return sorted(n for n in names if n not in stdlib and n not in (PACKAGE, "__future__"))


def package_modules(root: Path) -> List[Path]:
    """``__init__.py`` plus every package module the scripts import, directly or not.

    Fails if one of them imports a third-party module: EMR nodes have only
    the standard library, so the job would die there, minutes later.
    """
    package = root / PACKAGE
    wanted = ["__init__"]
    queue = sorted(set().union(*(_imports_of(root / script) for script in SCRIPTS)))
    while queue:
        name = queue.pop()
        if name in wanted:
            continue
        path = package / (name + ".py")
        if not path.is_file():
            raise UserError("{} imports {}.{}, but {} does not exist".format(SCRIPTS, PACKAGE, name, path))
        wanted.append(name)
        queue.extend(sorted(_imports_of(path) - set(wanted)))
    modules = sorted(package / (name + ".py") for name in wanted)
    for module in modules:
        foreign = _third_party_imports(module)
        if foreign:
            raise UserError(
                "{} imports {}, which EMR nodes do not have; the streaming scripts "
                "may use the standard library only".format(module, ", ".join(foreign))
            )
    return modules


def deterministic_zip(members: List[Tuple[str, bytes]]) -> bytes:
    """A zip of ``(name, data)`` whose bytes depend only on the names and data."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(info, data)
    return buffer.getvalue()


class Bundle:
    """The three files to upload, their bytes, and the digest naming their folder."""

    def __init__(self, files: Dict[str, bytes], sources: Dict[str, Path], modules: List[str]) -> None:
        self.files = files
        self.sources = sources
        self.modules = modules
        digest = hashlib.sha256()
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
        self.digest = digest.hexdigest()

    def folder(self, code_uri: str) -> str:
        return "{}/code/{}".format(code_uri.rstrip("/"), self.digest[:16])

    def code(self, code_uri: str) -> Code:
        folder = self.folder(code_uri)
        return Code(folder + "/mapper.py", folder + "/reducer.py", folder + "/" + ZIP_NAME)

    def uploads(self, code_uri: str) -> List[Dict[str, str]]:
        """``[{"source": local path, "dest": s3 uri}]`` in upload order."""
        folder = self.folder(code_uri)
        return [
            {"source": str(self.sources[name]), "dest": folder + "/" + name}
            for name in sorted(self.files)
        ]


def build_bundle(root: Optional[Path] = None, zip_dir: Optional[Path] = None) -> Bundle:
    """Read the scripts and zip the package modules they need.

    The zip is also written to ``zip_dir`` (by default a folder of the
    system's temporary directory named by its digest) so that the printed
    ``aws s3 cp`` commands of ``--dry-run`` copy exactly these bytes.
    """
    root = source_root() if root is None else root
    files = {name: (root / name).read_bytes() for name in SCRIPTS}
    sources = {name: root / name for name in SCRIPTS}
    modules = package_modules(root)
    members = [("{}/{}".format(PACKAGE, path.name), path.read_bytes()) for path in modules]
    package = deterministic_zip(members)
    files[ZIP_NAME] = package
    if zip_dir is None:
        zip_dir = Path(tempfile.gettempdir()) / "hashtag-count-{}".format(hashlib.sha256(package).hexdigest()[:16])
    zip_dir.mkdir(parents=True, exist_ok=True)
    zip_path = zip_dir / ZIP_NAME
    if not zip_path.is_file() or zip_path.read_bytes() != package:
        zip_path.write_bytes(package)
    sources[ZIP_NAME] = zip_path
    return Bundle(files, sources, [name for name, _ in members])


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
