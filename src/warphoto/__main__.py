"""``python -m warphoto`` is the ``warphoto`` command."""

import sys

from warphoto.cli import main

sys.exit(main())
