"""``python -m viz``: see viz.export.cli."""

import sys

from viz.export.cli import main

if __name__ == "__main__":
    sys.exit(main())
