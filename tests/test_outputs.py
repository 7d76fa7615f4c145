"""hashtagcount.outputs: a file we are to write is checked before any work, and nothing is overwritten."""

import os

import pytest

from hashtagcount.errors import UserError
from hashtagcount.outputs import check_new_file


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
