"""``python -m hashtagcount`` is the ``hashtag-count`` command."""

import sys

from .cli import main

sys.exit(main())
