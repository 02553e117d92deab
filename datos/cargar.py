"""``python -m datos.cargar``: carga un archivo sin la interfaz (ver ``datos.ingesta.cli``).

Con la aplicación en marcha sobre la misma base la carga corre dentro de ella (``datos.servicio``);
``main`` se importa aquí para que el servicio la encuentre.
"""

import sys

from datos.ingesta.cli import main  # noqa: F401 - la orden que corre el servicio
from datos.servicio import ejecutar

if __name__ == "__main__":
    sys.exit(ejecutar("datos.cargar", sys.argv[1:]))
