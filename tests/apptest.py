"""Ayudas para las pruebas de páginas con ``streamlit.testing.v1.AppTest``."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

#: Segundos que una ejecución de la app puede tardar en AppTest.
TIEMPO = 120
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def abrir(pagina: str | None = None) -> AppTest:
    """Ejecuta la app completa y, si se indica, cambia a ``pagina`` (p. ej. 'paginas/resumen.py')."""
    at = AppTest.from_file(APP, default_timeout=TIEMPO).run()
    if pagina:
        at.switch_page(pagina).run()
    return at


def sin_errores(at: AppTest) -> None:
    """Falla si la ejecución dejó excepciones o mensajes de error en pantalla."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
