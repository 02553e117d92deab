"""La arquitectura, comprobada: dirección de las importaciones, sin ciclos, archivos cortos, paquetes con letrero.

Las importaciones se leen con ``ast`` (no se importa nada de la aplicación), también las que
están dentro de funciones; las de un bloque ``if TYPE_CHECKING:`` no cuentan (no se ejecutan).

- La dirección es ``app.py → paginas → datos → analisis``: ``analisis`` no importa ``datos``,
  ``paginas`` ni Streamlit; ``datos`` no importa ``paginas`` ni Streamlit; nadie importa ``app``.
- Ningún ciclo de importaciones entre módulos de ``paginas``, ``datos`` y ``analisis``.
- Ningún archivo de código de más de 700 líneas: el que crece se parte en un paquete por asunto
  que reexporta sus nombres públicos en su ``__init__.py``.
- Cada paquete de ``datos/`` y ``analisis/`` tiene un ``__init__.py`` con docstring: qué vive
  ahí, qué puede importar y dónde va una pieza nueva.
"""

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
#: Las capas, de arriba abajo; ``app.py`` está encima de todas.
CAPAS = ("paginas", "datos", "analisis")
#: Lo que cada capa no puede importar (solo se importa hacia abajo).
PROHIBIDAS = {
    "app": (),
    "paginas": ("app",),
    "datos": ("app", "paginas", "streamlit"),
    "analisis": ("app", "paginas", "datos", "streamlit"),
}
#: Paquetes cuyos subpaquetes deben tener un ``__init__.py`` con docstring.
CON_LETRERO = ("datos", "analisis")
#: Líneas máximas de un archivo de código.
MAXIMO_LINEAS = 700


@dataclass(frozen=True)
class Importacion:
    """Una importación de un archivo: el módulo importado (absoluto) y, en ``from m import n``, los nombres."""

    archivo: Path
    linea: int
    modulo: str
    nombres: tuple[str, ...] = ()  # vacío en ``import m``

    def __str__(self) -> str:
        orden = f"from {self.modulo} import {', '.join(self.nombres)}" if self.nombres else f"import {self.modulo}"
        return f"{self.archivo.relative_to(RAIZ).as_posix()}:{self.linea}: {orden}"


def _archivos() -> list[Path]:
    """``app.py`` y todos los ``.py`` de las capas, en orden."""
    return [RAIZ / "app.py", *sorted(p for capa in CAPAS for p in (RAIZ / capa).rglob("*.py"))]


def _modulo(ruta: Path, raiz: Path = RAIZ) -> str:
    """Nombre con puntos del módulo de ``ruta`` (el de un ``__init__.py`` es el del paquete)."""
    partes = ruta.relative_to(raiz).with_suffix("").parts
    return ".".join(partes[:-1] if partes[-1] == "__init__" else partes)


def _es_type_checking(nodo: ast.AST) -> bool:
    """True si ``nodo`` es un ``if TYPE_CHECKING:`` (o ``if typing.TYPE_CHECKING:``)."""
    if not isinstance(nodo, ast.If):
        return False
    prueba = nodo.test
    return (isinstance(prueba, ast.Name) and prueba.id == "TYPE_CHECKING") or (
        isinstance(prueba, ast.Attribute) and prueba.attr == "TYPE_CHECKING")


def _nodos_ejecutables(nodo: ast.AST) -> Iterator[ast.AST]:
    """Todos los nodos bajo ``nodo`` (también en funciones) salvo el cuerpo de los ``if TYPE_CHECKING:``."""
    for hijo in ast.iter_child_nodes(nodo):
        yield hijo
        if _es_type_checking(hijo):
            for rama in hijo.orelse:
                yield rama
                yield from _nodos_ejecutables(rama)
        else:
            yield from _nodos_ejecutables(hijo)


def _base_relativa(modulo: str, es_paquete: bool, nivel: int) -> str:
    """Paquete al que apunta un ``from .`` de ``nivel`` puntos escrito en ``modulo``."""
    partes = modulo.split(".") if es_paquete else modulo.split(".")[:-1]
    return ".".join(partes[:len(partes) - nivel + 1])


def _importaciones(ruta: Path, raiz: Path = RAIZ) -> list[Importacion]:
    """Las importaciones que ``ruta`` ejecuta, con los ``from .`` resueltos a nombres absolutos."""
    modulo, arbol = _modulo(ruta, raiz), ast.parse(ruta.read_text(encoding="utf-8"), filename=str(ruta))
    encontradas = []
    for nodo in _nodos_ejecutables(arbol):
        if isinstance(nodo, ast.Import):
            encontradas += [Importacion(ruta, nodo.lineno, alias.name) for alias in nodo.names]
        elif isinstance(nodo, ast.ImportFrom):
            base = _base_relativa(modulo, ruta.name == "__init__.py", nodo.level) if nodo.level else ""
            destino = ".".join(p for p in (base, nodo.module) if p)
            encontradas.append(Importacion(ruta, nodo.lineno, destino, tuple(a.name for a in nodo.names)))
    return encontradas


def _capa(ruta: Path) -> str:
    """``app``, ``paginas``, ``datos`` o ``analisis``: la capa a la que pertenece ``ruta``."""
    return ruta.relative_to(RAIZ).parts[0].removesuffix(".py")


def _contra_la_direccion(importaciones: Iterable[Importacion]) -> list[str]:
    """Las importaciones que van hacia arriba (o a Streamlit desde ``datos``/``analisis``), explicadas."""
    return [f"{i}  ({_capa(i.archivo)} no puede importar {i.modulo.split('.')[0]})"
            for i in importaciones if i.modulo.split(".")[0] in PROHIBIDAS[_capa(i.archivo)]]


def _grafo(importaciones: Iterable[Importacion], modulos: set[str]) -> dict[str, dict[str, Importacion]]:
    """Módulo → {módulo importado: la importación}, solo entre ``modulos``.

    ``from paquete import nombre`` apunta a ``paquete.nombre`` si es un módulo; si no, al ``__init__``
    del paquete. Importar ``a.b.c`` no cuenta como importar ``a`` ni ``a.b``.
    """
    grafo: dict[str, dict[str, Importacion]] = {m: {} for m in modulos}
    for importacion in importaciones:
        origen = _modulo(importacion.archivo)
        destinos = {f"{importacion.modulo}.{n}" if f"{importacion.modulo}.{n}" in modulos else importacion.modulo
                    for n in importacion.nombres} or {importacion.modulo}
        for destino in destinos & modulos - {origen}:
            grafo[origen].setdefault(destino, importacion)
    return grafo


def _alcanzables(grafo: dict[str, Iterable[str]], inicio: str) -> set[str]:
    """Módulos a los que se llega desde ``inicio`` siguiendo una o más importaciones."""
    vistos, pendientes = set(), list(grafo[inicio])
    while pendientes:
        actual = pendientes.pop()
        if actual not in vistos:
            vistos.add(actual)
            pendientes += grafo[actual]
    return vistos


def _ciclos(grafo: dict[str, Iterable[str]]) -> list[list[str]]:
    """Componentes fuertemente conexas de más de un módulo (cada una, ordenada), en orden."""
    alcance = {m: _alcanzables(grafo, m) for m in grafo}
    componentes = {frozenset({m} | {o for o in alcance[m] if m in alcance[o]}) for m in grafo}
    return sorted(sorted(c) for c in componentes if len(c) > 1)


def _explicar_ciclo(ciclo: list[str], grafo: dict[str, dict[str, Importacion]]) -> str:
    """El ciclo con cada importación que lo cierra (archivo:línea), para saber cuál quitar."""
    internas = [str(grafo[a][b]) for a in ciclo for b in ciclo if b in grafo[a]]
    return f"ciclo entre {', '.join(ciclo)}:\n    " + "\n    ".join(internas)


def _largos(archivos: Iterable[Path]) -> list[str]:
    """Los archivos de más de ``MAXIMO_LINEAS`` líneas, con su cuenta."""
    cuentas = {a: len(a.read_text(encoding="utf-8").splitlines()) for a in archivos}
    return [f"{a.relative_to(RAIZ).as_posix()}: {n} líneas" for a, n in cuentas.items() if n > MAXIMO_LINEAS]


def _paquetes_sin_letrero(raices: Iterable[Path]) -> list[str]:
    """Las carpetas con código bajo ``raices`` (incluidas) sin ``__init__.py`` o con él sin docstring."""
    carpetas = sorted({p.parent for raiz in raices for p in raiz.rglob("*.py")} | set(raices))
    faltas = []
    for carpeta in carpetas:
        inicio = carpeta / "__init__.py"
        if not inicio.exists():
            faltas.append(f"{carpeta.relative_to(RAIZ).as_posix()}/: falta __init__.py")
        elif not ast.get_docstring(ast.parse(inicio.read_text(encoding="utf-8"))):
            faltas.append(f"{inicio.relative_to(RAIZ).as_posix()}: sin docstring")
    return faltas


def _todas_las_importaciones() -> list[Importacion]:
    """Las importaciones de todos los archivos de ``_archivos()``."""
    return [i for ruta in _archivos() for i in _importaciones(ruta)]


# ---------------------------------------------------------------------------
# Las reglas
# ---------------------------------------------------------------------------

def test_las_importaciones_van_de_app_a_paginas_a_datos_a_analisis():
    malas = _contra_la_direccion(_todas_las_importaciones())
    assert not malas, ("Importaciones contra la dirección app.py → paginas → datos → analisis "
                       "(mueve la pieza a la capa de abajo o pásala como argumento):\n  " + "\n  ".join(malas))


def test_no_hay_ciclos_de_importaciones():
    importaciones = [i for i in _todas_las_importaciones() if _capa(i.archivo) != "app"]
    grafo = _grafo(importaciones, {_modulo(p) for p in _archivos() if _capa(p) != "app"})
    ciclos = [_explicar_ciclo(c, grafo) for c in _ciclos(grafo)]
    assert not ciclos, ("Ciclos de importaciones (lleva lo que comparten a un módulo que ambos importen, "
                        "o importa el submódulo en vez del paquete):\n  " + "\n  ".join(ciclos))


def test_ningun_archivo_pasa_de_700_lineas():
    largos = _largos(_archivos())
    assert not largos, (f"Archivos de más de {MAXIMO_LINEAS} líneas (pártelos en un paquete por asunto que "
                        "reexporte sus nombres públicos en __init__.py):\n  " + "\n  ".join(largos))


def test_cada_paquete_tiene_init_con_docstring():
    faltas = _paquetes_sin_letrero(RAIZ / nombre for nombre in CON_LETRERO)
    assert not faltas, ("Paquetes sin letrero (el docstring de __init__.py dice qué vive ahí, qué puede "
                        "importar y dónde va una pieza nueva):\n  " + "\n  ".join(faltas))


# ---------------------------------------------------------------------------
# Las herramientas de las reglas, sobre casos pequeños
# ---------------------------------------------------------------------------

def test_lee_importaciones_relativas_y_en_funciones_sin_type_checking(tmp_path):
    paquete = tmp_path / "datos" / "consultas"
    paquete.mkdir(parents=True)
    (paquete / "__init__.py").write_text("from . import filtros\nfrom .resumen import resumen\n")
    (paquete / "resumen.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import paginas.comun\nelse:\n    import json\n"
        "def f():\n    from ..almacen import conexion\n    import streamlit as st\n")
    de_init = [(i.modulo, i.nombres) for i in _importaciones(paquete / "__init__.py", tmp_path)]
    assert de_init == [("datos.consultas", ("filtros",)), ("datos.consultas.resumen", ("resumen",))]
    de_resumen = [i.modulo for i in _importaciones(paquete / "resumen.py", tmp_path)]
    assert de_resumen == ["typing", "json", "datos.almacen", "streamlit"]


def test_encuentra_los_ciclos_y_no_los_caminos():
    grafo = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": ["d"], "f": ["a"]}
    assert _ciclos(grafo) == [["a", "b", "c"], ["d", "e"]]
    assert _ciclos({"a": ["b"], "b": [], "c": ["a", "b"]}) == []
