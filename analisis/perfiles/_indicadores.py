"""KPI de cada perfil: CSAT, NPS y quejas con sus intervalos, y sus textos para la pantalla.

Las estimaciones son las de ``analisis.kpis`` (media con t, NPS con su margen, proporción de
Wilson); las escalas y cortes de los textos, los de ``analisis.escalas``.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.escalas import DETRACTOR_HASTA, ESCALA_CSAT, ESCALA_NPS, PROMOTOR_DESDE, texto_escala
from analisis.formato import RAYA, cambio_segun_unidad, numero, segun_unidad
from analisis.kpis import media, nps, proporcion
from analisis.privacidad import ocultar_pequenos


#: Valor de ``grupo`` de la fila de toda la población en ``kpis_por_grupo``.
TODOS = -1
#: Columnas de conteo que ``kpis_por_grupo`` necesita (las da ``caracteristicas_clientes``).
_CONTEOS = ("n_csat", "suma_csat", "suma2_csat", "n_nps", "promotores", "detractores", "n_motivo", "n_quejas")


def _kpis(sumas: Mapping[str, float]) -> dict[str, float]:
    """CSAT (media, t), NPS (margen) y % de quejas (Wilson) de unas sumas, con su n y su intervalo."""
    promotores, detractores, n_nps = (int(sumas[c]) for c in ("promotores", "detractores", "n_nps"))
    estimaciones = {
        "csat": media(float(sumas["suma_csat"]), float(sumas["suma2_csat"]), int(sumas["n_csat"])),
        "nps": nps(promotores, n_nps - promotores - detractores, detractores),
        "quejas": proporcion(int(sumas["n_quejas"]), int(sumas["n_motivo"])),
    }
    fila = {}
    for clave, e in estimaciones.items():
        fila |= {clave: e.valor, f"{clave}_inf": e.ic_inf, f"{clave}_sup": e.ic_sup, f"{clave}_n": e.n}
    return fila


def sumas_por_grupo(clientes: pd.DataFrame, etiquetas: np.ndarray) -> pd.DataFrame:
    """Los conteos de KPI de los clientes sumados por perfil: lo que ``kpis_por_grupo`` necesita.

    Entra la tabla de ``caracteristicas_clientes`` (sus conteos ``n_csat``, ``suma_csat``,
    ``suma2_csat``, ``n_nps``, ``promotores``, ``detractores``, ``n_motivo``, ``n_quejas``) y el perfil
    de cada fila; sale una fila por perfil (índice: el perfil) con esas sumas y ``clientes`` (cuántos
    tiene). Es lo único de los KPI que recorre todos los clientes (hasta un millón de filas, ~0,1 s): se
    calcula una vez por versión de los datos (``datos.precalculo.calculos.sumas_perfiles``).
    """
    faltan = [c for c in _CONTEOS if c not in clientes.columns]
    if faltan:
        raise ValueError(f"'clientes' no tiene las columnas de conteo {', '.join(faltan)}")
    if len(etiquetas) != len(clientes):
        raise ValueError("'etiquetas' debe tener una entrada por fila de 'clientes'")
    agrupados = clientes[list(_CONTEOS)].fillna(0).groupby(np.asarray(etiquetas))
    return agrupados.sum().assign(clientes=agrupados.size())


def kpis_por_grupo(sumas: pd.DataFrame, nombres: Mapping[int, str], *, privacidad: int = 0) -> pd.DataFrame:
    """KPI de cada perfil y de toda la población (``grupo`` = ``TODOS``), con intervalos al 95 %.

    Entran las sumas de ``sumas_por_grupo`` y el nombre de cada perfil. Sale una fila por perfil con
    ``grupo``, ``nombre``, ``clientes`` y, para ``csat``
    (media 1–5, intervalo t), ``nps`` (−100…100, margen de dos proporciones) y ``quejas`` (proporción
    de contactos por queja o reclamo, Wilson): el valor, ``_inf``, ``_sup`` y ``_n`` (respuestas o
    contactos). Los intervalos tratan cada respuesta como independiente (un cliente puede aportar
    varias), así que pueden quedar algo estrechos. Un KPI con menos de ``privacidad`` casos en un
    perfil se borra (umbral de privacidad por segmento).
    """
    filas = [{"grupo": int(g), "nombre": nombres[int(g)], "clientes": int(sumas.at[g, "clientes"]),
              **_kpis(sumas.loc[g])} for g in sumas.index]
    filas.append({"grupo": TODOS, "nombre": "Todos los clientes", "clientes": int(sumas["clientes"].sum()),
                  **_kpis(sumas.sum())})
    tabla = pd.DataFrame(filas)
    for clave in ("csat", "nps", "quejas"):
        tabla = ocultar_pequenos(tabla, n=f"{clave}_n", columnas=[clave, f"{clave}_inf", f"{clave}_sup"],
                                 minimo=privacidad)
    return tabla


@dataclass(frozen=True)
class TextoKpi:
    """Un KPI de un perfil listo para mostrar: título, valor, diferencia con todos los clientes
    ('+0,51', '-3,2 pp'; None si la muestra es insuficiente), detalle (intervalo y n), ayuda (el método), ``color``
    ('normal' si subir es bueno, 'inverse' si es malo) y si la muestra alcanza el mínimo."""

    titulo: str
    valor: str
    diferencia: str | None
    detalle: str
    ayuda: str
    color: str
    suficiente: bool


#: KPI de cada perfil: clave, título, unidad, color del cambio, qué cuenta n y método.
_KPIS_PERFIL = (
    ("csat", f"CSAT ({texto_escala(ESCALA_CSAT)})", "escala", "normal", "respuestas",
     f"Media de las respuestas de satisfacción ({ESCALA_CSAT[0]} a {ESCALA_CSAT[1]}) de los clientes del perfil, "
     "con intervalo t al 95 %."),
    ("nps", "NPS", "puntos", "normal", "respuestas",
     f"% de promotores ({texto_escala((PROMOTOR_DESDE, ESCALA_NPS[1]))}) menos % de detractores "
     f"({texto_escala((ESCALA_NPS[0], DETRACTOR_HASTA))}) en las respuestas del perfil, de −100 a 100, con "
     "margen de error al 95 %."),
    ("quejas", "Quejas y reclamos", "proporcion", "inverse", "contactos",
     "Proporción de los contactos del perfil cuyo motivo es queja o reclamo, con intervalo de Wilson al 95 %."),
)


def textos_kpis(kpis: pd.DataFrame, grupo: int, *, muestra_minima: int) -> list[TextoKpi]:
    """Textos de CSAT, NPS y quejas del perfil ``grupo`` a partir de ``kpis_por_grupo``.

    Con menos de ``muestra_minima`` respuestas (o contactos) la cifra se marca como insuficiente
    y no se compara con el total.
    """
    filas = kpis[kpis["grupo"] == grupo]
    if filas.empty:
        raise ValueError(f"'grupo' {grupo} no está en 'kpis'")
    fila, todos = filas.iloc[0], kpis[kpis["grupo"] == TODOS].iloc[0]
    textos = []
    for clave, titulo, unidad, color, cuenta, ayuda in _KPIS_PERFIL:
        n = int(fila[f"{clave}_n"])
        suficiente = n >= muestra_minima
        inferior, superior = (segun_unidad(fila[f"{clave}_{lado}"], unidad) for lado in ("inf", "sup"))
        intervalo = f"IC 95 %: {inferior} a {superior}"
        textos.append(TextoKpi(
            titulo=titulo, valor=segun_unidad(fila[clave], unidad) if n else RAYA,
            diferencia=cambio_segun_unidad(fila[clave] - todos[clave], unidad) if suficiente else None,
            detalle=f"{intervalo} · n = {numero(n, 0)} {cuenta}" + ("" if suficiente else " · muestra insuficiente"),
            ayuda=ayuda, color=color, suficiente=suficiente,
        ))
    return textos
