"""hashtagcount.outputs: a file we are to write is checked before any work, and nothing is overwritten."""

import os

import pytest

from hashtagcount.errors import UserError
from hashtagcount.outputs import check_new_file, write_new_file


def refusal(*args, **kwargs) -> str:
    with pytest.raises(UserError) as error:
        check_new_file(*args, **kwargs)
    return str(error.value)


def test_a_new_file_in_an_existing_folder_is_fine_and_nothing_is_left_there(tmp_path):
    path = tmp_path / "ranking.tsv"
    assert check_new_file("--save", path) == path
    assert os.listdir(str(tmp_path)) == []


def test_an_existing_file_is_replaced_only_when_forced_and_the_option_says_how(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("mine")
    assert refusal("--save", path) == (
        "--save {}: the file exists and would not be overwritten; choose another name".format(path))
    assert refusal("--chart", path, can_force=True).endswith("choose another name, or pass --force to replace it")
    assert check_new_file("--chart", path, force=True, can_force=True) == path
    assert path.read_text() == "mine"


def test_a_folder_an_input_a_missing_folder_and_an_unwritable_one_are_refused(tmp_path):
    data = tmp_path / "in.json"
    data.write_text("{}")
    assert refusal("--chart", tmp_path, force=True).endswith(": is a folder; give a file name")
    assert "is one of the inputs" in refusal("--chart", data, force=True, inputs=[str(tmp_path / "." / "in.json")])
    assert refusal("--save", tmp_path / "nodir" / "x.tsv") == (
        "--save {0}: there is no folder {1}; create it first or choose another place".format(
            tmp_path / "nodir" / "x.tsv", tmp_path / "nodir"))
    assert "--save /proc/x.tsv: cannot create a file in the folder /proc" in refusal("--save", "/proc/x.tsv")


def test_a_file_is_put_in_place_only_whole_and_never_over_one_that_appeared(tmp_path):
    path = tmp_path / "ranking.tsv"

    def fails(file):
        file.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_new_file(path, fails)
    assert os.listdir(str(tmp_path)) == []  # nothing left behind to block the retry
    assert write_new_file(path, lambda file: file.write("whole") and "done") == "done"
    assert path.read_text() == "whole" and os.listdir(str(tmp_path)) == ["ranking.tsv"]
    with pytest.raises(FileExistsError):
        write_new_file(path, lambda file: file.write("again"))
    assert path.read_text() == "whole"
    with pytest.raises(OSError):
        write_new_file(path, fails, force=True)
    assert path.read_text() == "whole"  # a failed replacement leaves the old file as it was
    write_new_file(path, lambda file: file.write(b"new"), binary=True, force=True)
    assert path.read_bytes() == b"new" and os.listdir(str(tmp_path)) == ["ranking.tsv"]


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    path = tmp_path / "chart.html"
    write_new_file(path, lambda file: file.write("x"))
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
