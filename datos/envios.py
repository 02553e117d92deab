"""``python -m datos.envios``: envía los resúmenes, alertas e informes que tocan (ver ``datos.avisos.cli``).

Con la aplicación en marcha sobre la misma base la orden corre dentro de ella (``datos.servicio``);
``main`` se importa aquí para que el servicio la encuentre.
"""

import sys

from datos.avisos.cli import main  # noqa: F401 - la orden que corre el servicio
from datos.servicio import ejecutar

if __name__ == "__main__":
    sys.exit(ejecutar("datos.envios", sys.argv[1:]))
