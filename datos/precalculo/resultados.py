"""El almacén de resultados del proceso: cada cálculo pesado una vez por archivo, versión, alcance y argumentos."""

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from datos.consultas.filtros import Filtros

__all__ = ["Contexto", "Resultados", "RESULTADOS", "MAXIMO_RESULTADOS", "CIFRAS", "MAXIMO_CIFRAS", "CONSULTAS",
           "MAXIMO_CONSULTAS"]

#: Resultados que se guardan como mucho (los menos usados salen primero).
MAXIMO_RESULTADOS = 96
#: Cifras del periodo (tarjetas, alertas: pequeñas) que se guardan como mucho, aparte de ``RESULTADOS``.
MAXIMO_CIFRAS = 256
#: Resultados de consultas pequeñas (la caché 'pequena' de las páginas) que se guardan como mucho.
MAXIMO_CONSULTAS = 512


@dataclass(frozen=True)
class Contexto:
    """Para quién se calcula: archivo del almacén, versión de los datos y alcance de la cuenta.

    ``consultar(funcion, *argumentos, cache=…)`` trae a pandas una consulta de ``datos.consultas``
    (en una página, ``paginas.comun.consultar``; en el precálculo, el motor directamente). No entra
    en la clave: dos contextos con el mismo archivo, versión y alcance ven los mismos datos.
    ``resultados``: dónde guardan sus cálculos intermedios (por defecto ``RESULTADOS``; otro, para
    calcular de cero y comparar).
    """

    ruta: str
    version: int
    alcance: Filtros
    consultar: Callable[..., pd.DataFrame] = field(compare=False, hash=False, repr=False)
    resultados: "Resultados | None" = field(default=None, compare=False, hash=False, repr=False)

    def calculado(self, calculo: Callable, *argumentos):
        """``calculo(self, *argumentos)`` desde ``resultados`` (por defecto ``RESULTADOS``; calculado ahora si
        no estaba)."""
        return (RESULTADOS if self.resultados is None else self.resultados).obtener(self, calculo, *argumentos)


def _nombre(calculo: Callable) -> str:
    """``módulo.nombre`` de un cálculo: su identidad en la clave."""
    return f"{calculo.__module__}.{calculo.__qualname__}"


class Resultados:
    """Resultados de cálculos por (cálculo, archivo, versión, alcance, argumentos), compartidos por todo el proceso.

    No se copian al entregarlos: quien los recibe no los modifica (como la caché 'grande' de las páginas).
    """

    def __init__(self, maximo: int = MAXIMO_RESULTADOS):
        self.maximo = maximo
        self._guardados: OrderedDict[tuple, object] = OrderedDict()
        self._candado = threading.Lock()
        self._en_curso: dict[tuple, threading.Lock] = {}
        self._versiones: dict[str, int] = {}

    @staticmethod
    def clave(contexto: Contexto, calculo: Callable, argumentos: tuple) -> tuple:
        """La clave de ``calculo(contexto, *argumentos)``."""
        return _nombre(calculo), contexto.ruta, contexto.version, contexto.alcance, argumentos

    def tiene(self, contexto: Contexto, calculo: Callable, *argumentos) -> bool:
        """True si el resultado ya está guardado (no lo calcula)."""
        with self._candado:
            return self.clave(contexto, calculo, argumentos) in self._guardados

    def obtener(self, contexto: Contexto, calculo: Callable, *argumentos):
        """El resultado de ``calculo(contexto, *argumentos)``: el guardado, o calculado ahora y guardado.

        Si otro hilo lo está calculando, espera a ese cálculo en vez de repetirlo. Una excepción
        (p. ej. ``MuestraInsuficiente``) sube a quien pidió y no se guarda.
        """
        clave = self.clave(contexto, calculo, argumentos)
        with self._candado:
            if clave in self._guardados:
                self._guardados.move_to_end(clave)
                return self._guardados[clave]
            en_curso = self._en_curso.setdefault(clave, threading.Lock())
        with en_curso:
            with self._candado:
                if clave in self._guardados:
                    return self._guardados[clave]
            try:
                valor = calculo(contexto, *argumentos)
                self._guardar(clave, contexto, valor)
            finally:
                with self._candado:
                    self._en_curso.pop(clave, None)
        return valor

    def _guardar(self, clave: tuple, contexto: Contexto, valor: object) -> None:
        """Guarda ``valor``; descarta lo de versiones anteriores del mismo archivo y lo menos usado si sobra."""
        with self._candado:
            vigente = self._versiones.get(contexto.ruta, contexto.version)
            if contexto.version < vigente:
                return
            if contexto.version > vigente:
                for vieja in [c for c in self._guardados if c[1] == contexto.ruta and c[2] < contexto.version]:
                    del self._guardados[vieja]
            self._versiones[contexto.ruta] = contexto.version
            self._guardados[clave] = valor
            while len(self._guardados) > self.maximo:
                self._guardados.popitem(last=False)

    def vaciar(self) -> None:
        """Olvida todo lo guardado (pruebas)."""
        with self._candado:
            self._guardados.clear()
            self._versiones.clear()

    def __len__(self) -> int:
        with self._candado:
            return len(self._guardados)


#: El almacén de resultados del proceso (páginas y precálculo).
RESULTADOS = Resultados()
#: El de las cifras del periodo (``datos.precalculo.calculos.cifra_del_periodo``): aparte, para que cada
#: combinación de filtros que alguien pruebe no saque de ``RESULTADOS`` los análisis pesados.
CIFRAS = Resultados(MAXIMO_CIFRAS)
#: El de las consultas pequeñas (``datos.precalculo.calculos.consulta_pequena``): las que el precálculo trae para la
#: vista por defecto (valores de los filtros, metas…) ya no las ejecuta la primera persona tras una carga.
CONSULTAS = Resultados(MAXIMO_CONSULTAS)
