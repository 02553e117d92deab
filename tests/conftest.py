"""Fixtures compartidas: almacenes nuevos en memoria o en archivo temporal, y la demostración.

La demostración se genera una sola vez por sesión para cada ``(escala, semilla)``, en un
archivo molde (``plantilla_demo``). De ese molde salen:

- ``demo_compartida(escala=0.3, semilla=0)``: un almacén de la sesión para las pruebas que
  solo leen (se comprueba al final que nadie lo cambió);
- ``demo_nueva(escala=0.3, semilla=0)``: un almacén propio de la prueba, para las que escriben;
- ``base_demo``: una copia propia con ``ESLABON_DB`` apuntando a ella (páginas con AppTest).

Un módulo que necesita la demostración pide una de estas fábricas en su fixture; no la genera.
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.navegador import pagina, servidor_demo, servidor_vacio  # noqa: F401 - fixtures compartidas

from datos import demo
from datos.almacen.conexion import Almacen

# Sin precálculo de fondo en cada almacén que abren las pruebas de páginas (gastaría los núcleos de las
# demás pruebas); tests/precalculo lo enciende donde lo prueba.
os.environ.setdefault("ESLABON_PRECALCULO", "no")


@dataclass(frozen=True)
class DemoGenerada:
    """Archivo molde con la demostración, las filas por tabla y los avisos de progreso de su carga."""

    ruta: Path
    filas: dict[str, int]
    avisos: tuple[tuple[float, str], ...]


def _huella(almacen: Almacen) -> dict[str, tuple]:
    """Filas y suma de hashes de cada tabla del almacén (sin las temporales): cambia si algo se escribe."""
    cursor = almacen.cursor()
    tablas = [f[0] for f in cursor.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database() "
        "ORDER BY 1").fetchall()]
    return {t: cursor.execute(f'SELECT count(*), sum(hash(COLUMNS(*))) FROM "{t}"').fetchall()[0] for t in tablas}


def _copia(molde: DemoGenerada, destino: Path) -> Path:
    """Copia el archivo molde en ``destino`` y devuelve la ruta de la copia."""
    shutil.copyfile(molde.ruta, destino)
    return destino


@pytest.fixture
def almacen_memoria():
    """Un almacén DuckDB en memoria, migrado y vacío."""
    almacen = Almacen(":memory:")
    yield almacen
    almacen.cerrar()


@pytest.fixture
def con_memoria(almacen_memoria):
    """Cursor DuckDB de un almacén en memoria, migrado y vacío."""
    return almacen_memoria.cursor()


@pytest.fixture(scope="session")
def plantilla_demo(tmp_path_factory):
    """Fábrica ``plantilla_demo(escala=0.3, semilla=0) -> DemoGenerada``: la demostración, generada una vez.

    El archivo es el molde de las copias: ninguna prueba lo abre directamente.
    """
    moldes: dict[tuple[float, int], DemoGenerada] = {}

    def generar(escala: float = 0.3, semilla: int = 0) -> DemoGenerada:
        clave = (float(escala), int(semilla))
        if clave not in moldes:
            ruta = tmp_path_factory.mktemp("demo") / f"demo_{clave[0]}_{clave[1]}.duckdb"
            almacen, avisos = Almacen(str(ruta)), []
            filas = demo.cargar_demo(almacen.cursor(), escala=escala, semilla=semilla,
                                     progreso=lambda fraccion, mensaje: avisos.append((fraccion, mensaje)))
            almacen.cerrar()
            moldes[clave] = DemoGenerada(ruta, filas, tuple(avisos))
        return moldes[clave]

    return generar


@pytest.fixture(scope="session")
def demo_compartida(plantilla_demo, tmp_path_factory):
    """Fábrica ``demo_compartida(escala=0.3, semilla=0) -> Almacen`` de almacenes de solo lectura.

    Todas las pruebas de la sesión que piden la misma ``(escala, semilla)`` reciben el mismo
    almacén; al final falla si alguna escribió en él (las que escriben piden ``demo_nueva``).
    """
    abiertos: dict[tuple[float, int], tuple[Almacen, dict]] = {}

    def abrir(escala: float = 0.3, semilla: int = 0) -> Almacen:
        clave = (float(escala), int(semilla))
        if clave not in abiertos:
            ruta = _copia(plantilla_demo(escala, semilla), tmp_path_factory.mktemp("compartida") / "demo.duckdb")
            almacen = Almacen(str(ruta))
            abiertos[clave] = almacen, _huella(almacen)
        return abiertos[clave][0]

    yield abrir
    for (escala, semilla), (almacen, huella) in abiertos.items():
        cambiada = _huella(almacen) != huella
        almacen.cerrar()
        assert not cambiada, (f"una prueba escribió en el almacén de demostración compartido (escala={escala}, "
                              f"semilla={semilla}); las pruebas que escriben deben pedir demo_nueva")


@pytest.fixture
def demo_nueva(plantilla_demo, tmp_path):
    """Fábrica ``demo_nueva(escala=0.3, semilla=0) -> Almacen``: una copia propia de la prueba, que puede escribir."""
    abiertos: list[Almacen] = []

    def abrir(escala: float = 0.3, semilla: int = 0) -> Almacen:
        ruta = _copia(plantilla_demo(escala, semilla), tmp_path / f"demo_{len(abiertos)}.duckdb")
        abiertos.append(Almacen(str(ruta)))
        return abiertos[-1]

    yield abrir
    for almacen in abiertos:
        almacen.cerrar()


@pytest.fixture
def base_vacia(tmp_path, monkeypatch):
    """ESLABON_DB apuntando a un archivo nuevo."""
    ruta = tmp_path / "eslabon.duckdb"
    monkeypatch.setenv("ESLABON_DB", str(ruta))
    return ruta


@pytest.fixture
def base_demo(base_vacia, plantilla_demo):
    """ESLABON_DB con datos de demostración pequeños (escala 0,3) ya cargados, en una copia propia."""
    return _copia(plantilla_demo(escala=0.3), base_vacia)
