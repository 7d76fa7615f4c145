"""Collecting: merge the part files, rank, print as ``top`` does, save without overwriting."""

import io

import pytest

from hashtagcount.emr.collect import check_save_path, collect, read_totals, save_ranking
from hashtagcount.errors import UserError


@pytest.fixture
def results(s3):
    s3.create_bucket(Bucket="out")
    s3.put_object(Bucket="out", Key="run/part-00000", Body="rust\t3\n방탄소년단\t5\nbroken line\n".encode())
    s3.put_object(Bucket="out", Key="run/part-00001", Body=b"go\t3\nrust\t1\n")
    s3.put_object(Bucket="out", Key="run/_SUCCESS", Body=b"")
    s3.put_object(Bucket="out", Key="run-other/part-00000", Body=b"other\t99\n")
    return s3


def test_totals_are_summed_over_parts_and_bad_lines_counted(results):
    out = io.StringIO()
    assert read_totals(results, "s3://out/run", out) == {"rust": 4, "방탄소년단": 5, "go": 3}
    assert "skipped 1 malformed line(s) in s3://out/run" in out.getvalue()


def test_a_job_without_success_marker_is_not_collected(results):
    results.delete_object(Bucket="out", Key="run/_SUCCESS")
    with pytest.raises(UserError, match="s3://out/run: no _SUCCESS marker"):
        read_totals(results, "s3://out/run", io.StringIO())


def test_collect_prints_the_top_and_saves_everything(results, tmp_path):
    stdout, out = io.StringIO(), io.StringIO()
    saved = tmp_path / "ranking.tsv"
    collect(results, "s3://out/run/", 2, "tsv", saved, stdout, out)
    assert stdout.getvalue() == "방탄소년단\t5\nrust\t4\n"
    assert saved.read_text(encoding="utf-8") == "방탄소년단\t5\nrust\t4\ngo\t3\n"
    assert "saved to {}".format(saved) in out.getvalue()


def test_a_saved_ranking_is_never_overwritten(tmp_path):
    path = tmp_path / "ranking.tsv"
    path.write_text("mine\n")
    with pytest.raises(UserError, match="would not be overwritten"):
        check_save_path(path)
    written = save_ranking([("a", 1)], path)
    assert written == tmp_path / "ranking-2.tsv"
    assert path.read_text() == "mine\n"
    assert save_ranking([("a", 1)], path) == tmp_path / "ranking-3.tsv"


def test_keys_are_split_on_newlines_only(s3):
    s3.create_bucket(Bucket="odd")
    s3.put_object(Bucket="odd", Key="run/part-00000", Body="e\u2028x\t2\nn\u0085l\t1\nfs\x1cgs\t1\n".encode())
    s3.put_object(Bucket="odd", Key="run/_SUCCESS", Body=b"")
    out = io.StringIO()
    assert read_totals(s3, "s3://odd/run", out) == {"e\u2028x": 2, "n\u0085l": 1, "fs\x1cgs": 1}
    assert "malformed" not in out.getvalue()


def test_a_save_that_fails_late_still_prints_and_says_where_the_totals_are(results, tmp_path):
    folder = tmp_path / "gone"
    folder.mkdir()
    check_save_path(folder / "ranking.tsv")
    folder.rmdir()  # the folder went away while the cluster ran
    stdout = io.StringIO()
    with pytest.raises(UserError) as error:
        collect(results, "s3://out/run", 0, "tsv", folder / "ranking.tsv", stdout, io.StringIO())
    assert stdout.getvalue() == "방탄소년단\t5\nrust\t4\ngo\t3\n"
    assert str(error.value).startswith("--save {}: cannot write the ranking".format(folder / "ranking.tsv"))
    assert str(error.value).endswith("it is still under s3://out/run")


def test_a_save_target_without_its_folder_is_refused(tmp_path):
    with pytest.raises(UserError, match="there is no folder"):
        check_save_path(tmp_path / "nodir" / "x.tsv")
