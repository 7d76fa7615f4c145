"""The code bundle: what the scripts import, byte-stable, content-addressed, uploaded once."""

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from hashtagcount.emr.upload import build_bundle, deterministic_zip, package_modules, upload
from pipeline import REPO, input_files, rank_tsv, ranked_pipe_output, read_input

SAMPLE = REPO / "sample_data"


def checkout_copy(tmp_path: Path) -> Path:
    """The scripts and the package sources, as a separate checkout would hold them."""
    root = tmp_path / "checkout"
    (root / "hashtagcount").mkdir(parents=True)
    for name in ("mapper.py", "reducer.py"):
        shutil.copy(REPO / name, root / name)
    for module in (REPO / "hashtagcount").glob("*.py"):
        shutil.copy(module, root / "hashtagcount" / module.name)
    return root


def test_the_zip_holds_exactly_the_modules_the_scripts_import(tmp_path):
    names = [p.name for p in package_modules(REPO)]
    assert names == ["__init__.py"]  # mapper.py and reducer.py are self-contained (make scripts)


def test_the_shipped_files_alone_count_like_the_pipe(tmp_path):
    """mapper.py, reducer.py and hashtagcount.zip in an empty directory, without site-packages."""
    bundle = build_bundle(REPO, tmp_path / "zip")
    task = tmp_path / "task"
    task.mkdir()
    for name, data in bundle.files.items():
        (task / name).write_bytes(data)
    data = b"".join(read_input(p) for p in input_files(SAMPLE))
    python = [sys.executable, "-S"]  # -S: no site-packages, so only the zip can provide hashtagcount
    mapped = subprocess.run(python + ["mapper.py"], input=data, cwd=task, stdout=subprocess.PIPE, check=True).stdout
    ordered = b"".join(sorted(mapped.splitlines(True)))
    reduced = subprocess.run(python + ["reducer.py"], input=ordered, cwd=task, stdout=subprocess.PIPE, check=True).stdout
    assert rank_tsv(reduced) == ranked_pipe_output(input_files(SAMPLE))


def test_the_bundle_is_byte_stable_and_named_by_its_content(tmp_path):
    root = checkout_copy(tmp_path)
    first = build_bundle(root, tmp_path / "a")
    for path in root.rglob("*.py"):
        os.utime(path, (1, 1))  # other timestamps must not change a byte
    second = build_bundle(root, tmp_path / "b")
    assert first.files == second.files and first.digest == second.digest
    with (root / "mapper.py").open("a") as script:
        script.write("\n# changed\n")
    third = build_bundle(root, tmp_path / "c")
    assert third.digest != first.digest
    assert third.code("s3://c/x").mapper != first.code("s3://c/x").mapper


def test_deterministic_zip_sorts_entries_and_fixes_their_time():
    data = deterministic_zip([("b.py", b"2"), ("a.py", b"1")])
    assert data == deterministic_zip([("a.py", b"1"), ("b.py", b"2")])
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.filename for i in infos] == ["a.py", "b.py"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_upload_skips_files_already_there(s3, tmp_path):
    s3.create_bucket(Bucket="code")
    bundle = build_bundle(REPO, tmp_path / "zip")
    first, second = io.StringIO(), io.StringIO()
    upload(s3, bundle, "s3://code/hc", first)
    upload(s3, bundle, "s3://code/hc", second)
    assert first.getvalue().count("uploaded") == 3
    assert second.getvalue().count("is up to date") == 3
    mapper = bundle.code("s3://code/hc").mapper
    key = mapper[len("s3://code/"):]
    assert s3.get_object(Bucket="code", Key=key)["Body"].read() == (REPO / "mapper.py").read_bytes()
    s3.put_object(Bucket="code", Key=key, Body=b"damaged")  # e.g. a partial manual copy
    third = io.StringIO()
    upload(s3, bundle, "s3://code/hc", third)
    assert third.getvalue().count("uploaded") == 1
    assert s3.get_object(Bucket="code", Key=key)["Body"].read() == (REPO / "mapper.py").read_bytes()
