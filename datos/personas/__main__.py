"""``python -m datos.personas``: solicitudes sobre datos personales (ver ``datos.personas.cli``)."""

import sys

from datos.personas.cli import main

if __name__ == "__main__":
    sys.exit(main())
