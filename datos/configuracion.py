"""``python -m datos.configuracion``: exporta o importa la configuración de la organización (ver ``datos.ajustes.cli``)."""

import sys

from datos.ajustes.cli import main

if __name__ == "__main__":
    sys.exit(main())
