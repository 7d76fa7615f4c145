"""The files a command writes (``top --chart``, ``emr run --save``): checked first, put in place whole.

Finding out after an hour of counting, or after a paid cluster, that a
name cannot take the result would lose that work; so would replacing a
file the user owns, or leaving half a file that blocks the retry.  One
check, worded the same way for every option, and one way to write.
"""

import os
import secrets
from pathlib import Path
from typing import Any, Callable, Iterable, Tuple, TypeVar, Union

from .errors import UserError


def check_new_file(option: str, path: Union[str, Path], force: bool = False, can_force: bool = False,
                   inputs: Iterable[str] = ()) -> Path:
    """``path`` if ``option`` (``--chart``, ``--save``) may write it, else a :class:`UserError` saying why.

    Its folder must exist and take a new file: one is created and removed
    there, since permission bits say nothing for root, ``/proc`` or a
    read-only mount (a full disk shows only when writing, and
    :func:`write_new_file` then leaves nothing behind).  An existing file
    is replaced only with ``force`` (``can_force`` says whether the option
    has one to suggest), and never a folder or one of ``inputs`` (local
    paths, ``-`` for standard input).
    """
    path = Path(path)
    folder = _folder_of(path)
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
        probe, descriptor = _hidden_file(folder)
        os.close(descriptor)
        os.unlink(probe)
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


T = TypeVar("T")


def write_new_file(path: Path, write: Callable[[Any], T], binary: bool = False, force: bool = False) -> T:
    """``write(file)`` into ``path``, which appears only once it is whole; what ``write`` returns.

    The bytes go to a hidden file beside ``path`` first, so a full disk, an
    error or a stop leaves nothing behind (with ``force``, the old file
    untouched until it is replaced in one step).  Without ``force`` the file
    is linked into place, which raises FileExistsError if ``path`` appeared
    meanwhile: nothing is ever written over.
    """
    temporary, descriptor = _hidden_file(_folder_of(path))
    try:
        with os.fdopen(descriptor, "wb") if binary else os.fdopen(
                descriptor, "w", encoding="utf-8", newline="\n") as file:
            result = write(file)
        if force:
            os.replace(temporary, str(path))
        else:
            _link_new(temporary, path)
    except BaseException:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise
    return result


def _folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _hidden_file(folder: Path) -> Tuple[str, int]:
    """A new hidden file in ``folder``, opened for writing: its name and descriptor (the umask applies)."""
    name = str(folder / ".hashtag-count-{}.tmp".format(secrets.token_hex(8)))
    return name, os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)


def _link_new(temporary: str, path: Path) -> None:
    """Put ``temporary`` at ``path`` unless something is there (FileExistsError); a link cannot replace."""
    try:
        os.link(temporary, str(path))
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename (only a race can replace)
        if os.path.lexists(str(path)):
            raise FileExistsError(str(path))
        os.rename(temporary, str(path))
        return
    os.unlink(temporary)
