"""The files a command writes (``top --chart``, ``emr run --save``): checked before any work is spent.

Finding out after an hour of counting, or after a paid cluster, that a
name cannot take the result would lose that work; so would replacing a
file the user owns.  One check, worded the same way for every option.
"""

import os
import tempfile
from pathlib import Path
from typing import Iterable, Union

from .errors import UserError


def check_new_file(option: str, path: Union[str, Path], force: bool = False, can_force: bool = False,
                   inputs: Iterable[str] = ()) -> Path:
    """``path`` if ``option`` (``--chart``, ``--save``) may write it, else a :class:`UserError` saying why.

    Its folder must exist and take a new file: one is created and removed
    there, since permission bits say nothing for root, ``/proc``, a
    read-only mount or a full disk.  An existing file is replaced only with
    ``force`` (``can_force`` says whether the option has one to suggest),
    and never a folder or one of ``inputs`` (local paths, ``-`` for
    standard input).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError("{} {}: there is no folder {}; create it first or choose another place".format(
            option, path, folder))
    if os.path.lexists(str(path)):
        if path.is_dir():
            raise UserError("{} {}: is a folder; give a file name".format(option, path))
        if any(_same_file(path, name) for name in inputs):
            raise UserError("{} {}: is one of the inputs; never written over, choose another name".format(
                option, path))
        if not force:
            raise exists_error(option, path, can_force)
    try:
        with tempfile.NamedTemporaryFile(dir=str(folder), prefix=".hashtag-count-", suffix=".tmp"):
            pass
    except OSError as error:
        raise UserError("{} {}: cannot create a file in the folder {} ({}); choose another place".format(
            option, path, folder, error.strerror or error))
    return path


def exists_error(option: str, path: Path, can_force: bool = False) -> UserError:
    """The refusal of an existing file, also for one that appears between the check and the write."""
    return UserError("{} {}: the file exists and would not be overwritten; choose another name{}".format(
        option, path, ", or pass --force to replace it" if can_force else ""))


def _same_file(path: Path, name: str) -> bool:
    try:
        if name == "-":
            return os.path.samestat(os.stat(str(path)), os.fstat(0))
        return os.path.samefile(str(path), name)
    except OSError:
        return False
