"""``python -m smartcity_analysis`` works like the ``smartcity`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
