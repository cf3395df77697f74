"""python -m libstats"""

import sys

from libstats.cli import main

if __name__ == "__main__":
    sys.exit(main())
