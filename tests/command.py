"""Run ``hashtag-count`` as a user does: a real process, its exit code, stdout and stderr.

The one way tests start the command; ``endpoint`` appends ``--endpoint-url``
(the moto server) so AWS calls go over real HTTP to 127.0.0.1.
"""

import subprocess
import sys
from pathlib import Path
from typing import Mapping, Optional, Union

REPO = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-m", "hashtagcount"]


def hashtag_count(
    *args: Union[str, Path],
    stdin: Optional[bytes] = None,
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[Path] = None,
    endpoint: Optional[str] = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """``python -m hashtagcount ARGS`` with text output (``stdin`` bytes are fed as given)."""
    words = COMMAND + [str(a) for a in args] + (["--endpoint-url", endpoint] if endpoint else [])
    done = subprocess.run(
        words, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=REPO if cwd is None else cwd, env=None if env is None else dict(env), timeout=timeout,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode,
        done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
    )
