"""``python -m datos.configuracion``: exporta o importa la configuración de la organización (ver ``datos.ajustes.cli``).

Con la aplicación en marcha sobre la misma base la orden corre dentro de ella (``datos.servicio``);
``main`` se importa aquí para que el servicio la encuentre.
"""

import sys

from datos.ajustes.cli import main  # noqa: F401 - la orden que corre el servicio
from datos.servicio import ejecutar

if __name__ == "__main__":
    sys.exit(ejecutar("datos.configuracion", sys.argv[1:]))
