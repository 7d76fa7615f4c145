"""The code bundle: exactly the two scripts, byte for byte, content-addressed, uploaded once."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hashtagcount.emr.upload import build_bundle, upload
from hashtagcount.errors import UserError
from pipeline import REPO, input_files, rank_tsv, ranked_pipe_output, read_input

SAMPLE = REPO / "sample_data"


def scripts_copy(tmp_path: Path) -> Path:
    """The two scripts alone in a folder, as a separate checkout would hold them."""
    root = tmp_path / "checkout"
    root.mkdir()
    for name in ("mapper.py", "reducer.py"):
        shutil.copy(REPO / name, root / name)
    return root


def test_the_bundle_is_exactly_the_two_scripts():
    bundle = build_bundle(REPO)
    assert bundle.files == {name: (REPO / name).read_bytes() for name in ("mapper.py", "reducer.py")}
    assert [u["dest"].rsplit("/", 1)[1] for u in bundle.uploads("s3://c/x")] == ["mapper.py", "reducer.py"]
    assert bundle.code("s3://c/x").uris() == [u["dest"] for u in bundle.uploads("s3://c/x")]


def test_the_shipped_files_alone_count_like_the_pipe(tmp_path):
    """mapper.py and reducer.py in an empty directory, without site-packages."""
    task = tmp_path / "task"
    task.mkdir()
    for name, data in build_bundle(REPO).files.items():
        (task / name).write_bytes(data)
    data = b"".join(read_input(p) for p in input_files(SAMPLE))
    python = [sys.executable, "-S"]  # -S: no site-packages, so nothing but the scripts and the stdlib
    mapped = subprocess.run(python + ["mapper.py"], input=data, cwd=task, stdout=subprocess.PIPE, check=True).stdout
    ordered = b"".join(sorted(mapped.splitlines(True)))
    reduced = subprocess.run(python + ["reducer.py"], input=ordered, cwd=task, stdout=subprocess.PIPE, check=True).stdout
    assert rank_tsv(reduced) == ranked_pipe_output(input_files(SAMPLE))


def test_the_bundle_is_named_by_its_content(tmp_path):
    root = scripts_copy(tmp_path)
    first, second = build_bundle(root), build_bundle(root)
    assert first.files == second.files and first.digest == second.digest
    with (root / "mapper.py").open("a") as script:
        script.write("\n# changed\n")
    third = build_bundle(root)
    assert third.digest != first.digest
    assert third.code("s3://c/x").mapper != first.code("s3://c/x").mapper


def test_a_script_that_cannot_travel_alone_is_refused(tmp_path):
    root = scripts_copy(tmp_path)
    reducer = root / "reducer.py"
    reducer.write_text("from hashtagcount.totals import sum_grouped\n" + reducer.read_text())
    with pytest.raises(UserError, match=r"reducer.py imports hashtagcount, which EMR nodes do not have.*make scripts"):
        build_bundle(root)


def test_upload_skips_files_already_there(s3, tmp_path):
    s3.create_bucket(Bucket="code")
    bundle = build_bundle(REPO)
    first, second = io.StringIO(), io.StringIO()
    upload(s3, bundle, "s3://code/hc", first)
    upload(s3, bundle, "s3://code/hc", second)
    assert first.getvalue().count("uploaded") == 2
    assert second.getvalue().count("is up to date") == 2
    mapper = bundle.code("s3://code/hc").mapper
    key = mapper[len("s3://code/"):]
    assert s3.get_object(Bucket="code", Key=key)["Body"].read() == (REPO / "mapper.py").read_bytes()
    s3.put_object(Bucket="code", Key=key, Body=b"damaged")  # e.g. a partial manual copy
    third = io.StringIO()
    upload(s3, bundle, "s3://code/hc", third)
    assert third.getvalue().count("uploaded") == 1
    assert s3.get_object(Bucket="code", Key=key)["Body"].read() == (REPO / "mapper.py").read_bytes()
