"""Frases en español de lo que dicen la tendencia y los puntos de cambio, y el diagnóstico por grupo.

``diagnosticar`` junta, para cada grupo de la serie, la prueba de Mann-Kendall
(``tendencia``), los puntos de cambio (``cambios``) y las frases que los cuentan.
"""

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analisis.formato import fecha, numero, valor_p
from analisis.tendencias.cambios import Cambio, _validas, cambios
from analisis.tendencias.indicadores import _EN_FRASE, indicador
from analisis.tendencias.series import _POR_PERIODO
from analisis.tendencias.tendencia import MannKendall, mann_kendall

__all__ = ["texto_p", "magnitud", "sujeto", "describir_cambio", "describir_tendencia", "Diagnostico",
           "diagnosticar", "frases_destacadas", "fechas_de_cambio"]


def texto_p(p: float) -> str:
    """Valor p en escalones legibles: 'p < 0,001', 'p < 0,01' o 'p = 0,034'.

    >>> texto_p(0.004), texto_p(0.2)
    ('p < 0,01', 'p = 0,200')
    """
    return "p < 0,01" if 0.001 <= p < 0.01 else valor_p(p)


def magnitud(diferencia: float, unidad: str, extra: int = 0) -> str:
    """Tamaño de un cambio, sin signo, con su unidad en palabras (``extra`` decimales más).

    >>> magnitud(-0.0412, "proporcion"), magnitud(0.0004, "proporcion", 1)
    ('4,1 puntos porcentuales', '0,04 puntos porcentuales')
    """
    magnitud = abs(diferencia)
    decimales, factor, sufijo = {
        "escala": (2, 1, "puntos"), "proporcion": (1, 100, "puntos porcentuales"), "puntos": (1, 1, "puntos"),
        "minutos": (1, 1, "min"), "horas": (1, 1, "h"),
    }[unidad]
    return f"{numero(factor * magnitud, decimales + extra)} {sufijo}"


def sujeto(clave: str, grupo: str | None) -> str:
    """'El NPS' o 'El NPS de Sucursal Norte' (sin grupo o con el grupo 'Total': sin complemento)."""
    texto = _EN_FRASE[clave]
    if grupo and grupo != "Total":
        texto += f" de {grupo}"
    return texto[0].upper() + texto[1:]


def describir_cambio(clave: str, cambio: Cambio, grupo: str | None = None) -> str:
    """Frase en español del cambio, p. ej. 'El NPS de Sucursal Norte bajó 12,0 puntos desde el
    3 de marzo de 2026 (cambio significativo, p < 0,01).'

    >>> from analisis.kpis import Comparacion, Estimacion
    >>> c = Cambio(date(2026, 3, 3), Estimacion(40.0, 35, 45, 300), Estimacion(28.0, 22, 34, 200),
    ...            Comparacion(-12.0, 0.004, "prueba z de la diferencia de NPS"))
    >>> describir_cambio("nps", c, "Sucursal Norte")
    'El NPS de Sucursal Norte bajó 12,0 puntos desde el 3 de marzo de 2026 (cambio significativo, p < 0,01).'
    """
    verbo = "subió" if cambio.diferencia > 0 else "bajó"
    if cambio.comparacion is None:
        prueba = "sin prueba de significancia"
    elif cambio.comparacion.significativo:
        prueba = f"cambio significativo, {texto_p(cambio.comparacion.p)}"
    else:
        prueba = f"cambio no significativo, {texto_p(cambio.comparacion.p)}: puede ser ruido"
    return (f"{sujeto(clave, grupo)} {verbo} {magnitud(cambio.diferencia, indicador(clave).unidad)} "
            f"desde el {fecha(cambio.periodo)} ({prueba}).")


def describir_tendencia(clave: str, resultado: MannKendall, periodicidad: str, grupo: str | None = None) -> str:
    """Frase en español del resultado de Mann-Kendall y la pendiente de Sen.

    >>> r = mann_kendall([1, 2, 3, 4, 5])
    >>> describir_tendencia("nps", r, "mes")
    'El NPS tiene tendencia creciente (Mann-Kendall, p = 0,027): sube 1,00 puntos por mes según la pendiente de Sen.'
    """
    if periodicidad not in _POR_PERIODO:
        raise ValueError(f"'periodicidad' debe ser uno de {list(_POR_PERIODO)}")
    inicio = sujeto(clave, grupo)
    if math.isnan(resultado.p):
        return f"{inicio}: muy pocos periodos con muestra suficiente para probar una tendencia."
    if resultado.tendencia == "sin tendencia":
        return f"{inicio} no muestra una tendencia significativa (Mann-Kendall, {texto_p(resultado.p)})."
    verbo = "sube" if resultado.pendiente > 0 else "baja"
    pendiente = magnitud(resultado.pendiente, indicador(clave).unidad, extra=1)
    return (f"{inicio} tiene tendencia {resultado.tendencia} (Mann-Kendall, {texto_p(resultado.p)}): "
            f"{verbo} {pendiente} {_POR_PERIODO[periodicidad]} según la pendiente de Sen.")


@dataclass(frozen=True)
class Diagnostico:
    """¿Es real? Para un grupo: tendencia, puntos de cambio y las frases que los cuentan."""

    grupo: str
    tendencia: MannKendall
    cambios: tuple[Cambio, ...]
    periodos_validos: int
    frases: tuple[str, ...]


def diagnosticar(clave: str, filas: pd.DataFrame, periodicidad: str, *, muestra_minima: int,
                 alfa: float = 0.05) -> list[Diagnostico]:
    """Tendencia (Mann-Kendall y Sen) y puntos de cambio de cada grupo de la serie.

    Solo cuentan los periodos con n ≥ ``muestra_minima``. Los grupos salen en el orden
    de ``filas``; dentro de cada uno, la primera frase es la de la tendencia y después
    una por cambio.
    """
    resultado = []
    for grupo, filas_grupo in filas.groupby("grupo", sort=False):
        validas = _validas(clave, filas_grupo, muestra_minima)
        tendencia = mann_kendall(validas["_valor"].to_numpy(), alfa)
        lista = tuple(cambios(clave, filas_grupo, muestra_minima=muestra_minima, alfa=alfa))
        frases = (describir_tendencia(clave, tendencia, periodicidad, grupo),
                  *(describir_cambio(clave, c, grupo) for c in lista))
        resultado.append(Diagnostico(str(grupo), tendencia, lista, len(validas), frases))
    return resultado


def frases_destacadas(diagnosticos: list[Diagnostico]) -> list[str]:
    """Lo que hay que leer del diagnóstico: sin desglose, todas sus frases; con desglose,
    los cambios y las tendencias significativas de cada grupo (o un aviso de que no hay)."""
    if len(diagnosticos) == 1:
        return list(diagnosticos[0].frases)
    frases = [f for d in diagnosticos for f in (d.frases[1:] if d.tendencia.tendencia == "sin tendencia"
                                                  else d.frases)]
    return frases or ["Ningún segmento muestra una tendencia significativa ni un punto de cambio."]


def fechas_de_cambio(diagnosticos: list[Diagnostico]) -> dict[str, list[date]]:
    """Grupo → fechas de sus puntos de cambio."""
    return {d.grupo: [c.periodo for c in d.cambios] for d in diagnosticos}
