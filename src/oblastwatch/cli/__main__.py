"""``python -m oblastwatch.cli``: the same as the ``oblastwatch`` command."""

import sys

from oblastwatch.cli import main

sys.exit(main())
