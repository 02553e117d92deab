"""``python -m datos.demo``: crea (o rehace) el almacén de demostración."""

import sys

from datos.demo.generador import main

sys.exit(main())
