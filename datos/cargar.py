"""``python -m datos.cargar``: carga un archivo sin la interfaz (ver ``datos.ingesta.cli``)."""

import sys

from datos.ingesta.cli import main

if __name__ == "__main__":
    sys.exit(main())
