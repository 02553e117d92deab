"""Ayudas para las pruebas de páginas con ``streamlit.testing.v1.AppTest``."""

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from datos.cuentas.usuarios import Usuario

#: Segundos que una ejecución de la app puede tardar en AppTest.
TIEMPO = 120
APP = str(Path(__file__).resolve().parent.parent / "app.py")

#: Persona con sesión abierta que usan por defecto las pruebas de páginas.
ADMINISTRADORA = Usuario("admin", "Administradora", "administrador")


def abrir(pagina: str | None = None, *, usuario: Usuario | None = ADMINISTRADORA) -> AppTest:
    """Ejecuta la app con la sesión de ``usuario`` abierta y, si se indica, cambia a ``pagina``.

    ``usuario=None`` abre la app sin sesión (la pantalla de entrada).
    """
    at = AppTest.from_file(APP, default_timeout=TIEMPO)
    if usuario is not None:
        at.session_state["usuario"] = usuario
        at.session_state["ultima_actividad"] = time.monotonic()
    at.run()
    if pagina:
        at.switch_page(pagina).run()
    return at


def sin_errores(at: AppTest) -> None:
    """Falla si la ejecución dejó excepciones o mensajes de error en pantalla."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
