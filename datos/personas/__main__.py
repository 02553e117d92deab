"""``python -m datos.personas``: solicitudes sobre datos personales (ver ``datos.personas.cli``).

Con la aplicación en marcha sobre la misma base la orden corre dentro de ella (``datos.servicio``).
"""

import sys

from datos.servicio import ejecutar

sys.exit(ejecutar("datos.personas", sys.argv[1:]))
