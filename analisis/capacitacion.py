"""Plan de capacitación, progreso entre rondas de auditoría y sesgo de los auditores.

Funciones puras sobre las tablas que producen ``analisis.competencias`` y
``datos.consultas``:

- ``plan_capacitacion``: las brechas claras de mayor prioridad de cada agente
  o equipo, sus temas de capacitación y los participantes agrupados por tema
  (para llenar una sesión).
- ``progreso``: cambio de puntaje entre dos rondas con prueba t de Welch
  (Welch 1947) y control de la tasa de falsos descubrimientos de
  Benjamini y Hochberg (1995), porque se prueban muchos pares a la vez.
- ``sesgo_auditores``: desvío medio de cada auditor frente a los demás sobre
  los mismos agentes, con intervalo robusto por agente.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analisis.competencias import NIVELES, etiquetas
from analisis.escalas import CONFIANZA
from analisis.formato import fecha
from analisis.kpis import comparar_medias
from analisis.privacidad import ocultar_pequenos

__all__ = ["PlanCapacitacion", "plan_capacitacion", "progreso", "VEREDICTOS", "etiqueta_ronda", "ronda_completa",
           "rondas_por_defecto", "sesgo_auditores", "lista_breve", "PRIMEROS_DE_SESION"]

_NAN = float("nan")

#: Veredictos del progreso entre dos rondas.
VEREDICTOS = ("Mejoró", "Empeoró", "Sin cambio claro", "Muestra insuficiente")


@dataclass(frozen=True)
class PlanCapacitacion:
    """Plan de capacitación.

    ``necesidades``: una fila por grupo (agente o equipo) y brecha elegida, con ``grupo``,
    ``etiqueta``, ``orden`` (1 = la más prioritaria), ``competencia``, ``nombre_competencia``,
    ``brecha``, ``prioridad`` y ``temas``.
    ``sesiones``: una fila por tema con ``tema``, ``participantes`` (cuántos), ``quienes``
    (etiquetas separadas por coma, de mayor a menor prioridad), ``quienes_breve`` (las
    ``PRIMEROS_DE_SESION`` primeras y cuántas más, para una tabla que cabe en pantalla),
    ``competencias`` y ``prioridad`` (suma de las prioridades de sus participantes).
    """

    necesidades: pd.DataFrame
    sesiones: pd.DataFrame


def plan_capacitacion(prioridades: pd.DataFrame, temas: pd.DataFrame, *, maximo: int = 3) -> PlanCapacitacion:
    """Elige hasta ``maximo`` brechas por grupo y las traduce en temas y sesiones de capacitación.

    Parameters
    ----------
    prioridades : salida de ``competencias.prioridades`` (``grupo``, ``etiqueta``, ``competencia``,
        ``nombre_competencia``, ``brecha``, ``brecha_inf``, ``prioridad``).
    temas : pares ``competencia``/``tema`` (tabla editable de temas de capacitación).
    maximo : brechas por grupo (≥ 1).

    Solo entran brechas claras (el intervalo de la brecha queda entero sobre 0), de mayor a
    menor prioridad y, a igual prioridad, de mayor brecha. Una competencia sin tema
    asignado aparece con «(sin tema asignado)».

    Examples
    --------
    >>> p = pd.DataFrame({"grupo": ["A", "A", "B"], "etiqueta": ["Ana", "Ana", "Beto"],
    ...                   "competencia": ["escucha", "imagen", "escucha"],
    ...                   "nombre_competencia": ["Escucha", "Imagen", "Escucha"], "brecha": [0.3, 0.1, 0.2],
    ...                   "brecha_inf": [0.1, -0.05, 0.05], "prioridad": [0.3, 0.0, 0.2]})
    >>> plan = plan_capacitacion(p, pd.DataFrame({"competencia": ["escucha"], "tema": ["Escucha"]}))
    >>> plan.sesiones[["tema", "participantes", "quienes"]].values.tolist()
    [['Escucha', 2, 'Ana, Beto']]
    """
    faltan = sorted({"grupo", "etiqueta", "competencia", "nombre_competencia", "brecha", "brecha_inf",
                     "prioridad"} - set(prioridades.columns))
    if faltan:
        raise ValueError(f"'prioridades' no tiene las columnas {faltan}")
    if not {"competencia", "tema"} <= set(temas.columns):
        raise ValueError("'temas' debe tener las columnas 'competencia' y 'tema'")
    if maximo < 1:
        raise ValueError("'maximo' debe ser al menos 1")
    claras = prioridades[prioridades["brecha_inf"] > 0].sort_values(["prioridad", "brecha"], ascending=False,
                                                                    kind="stable")
    elegidas = claras.groupby("grupo", sort=False).head(maximo).copy()
    elegidas["orden"] = elegidas.groupby("grupo", sort=False).cumcount() + 1
    por_competencia = temas.groupby("competencia")["tema"].apply(lambda t: ", ".join(sorted(t)))
    elegidas["temas"] = elegidas["competencia"].map(por_competencia).fillna("(sin tema asignado)")
    necesidades = elegidas[["grupo", "etiqueta", "orden", "competencia", "nombre_competencia", "brecha", "prioridad",
                            "temas"]].reset_index(drop=True)
    return PlanCapacitacion(necesidades, _sesiones(elegidas, temas))


#: Cuántos participantes de una sesión se nombran en su fila (los demás se cuentan: «y 21 más»).
PRIMEROS_DE_SESION = 3


def lista_breve(nombres, maximo: int = PRIMEROS_DE_SESION) -> str:
    """Los ``maximo`` primeros ``nombres`` y cuántos más quedan.

    >>> lista_breve(["Ana", "Beto", "Carla", "Dora", "Eva"]), lista_breve(["Ana", "Beto"])
    ('Ana, Beto, Carla y 2 más', 'Ana, Beto')
    """
    nombres = list(nombres)
    resto = len(nombres) - maximo
    return ", ".join(nombres[:maximo]) + (f" y {resto} más" if resto > 0 else "")


def _sesiones(elegidas: pd.DataFrame, temas: pd.DataFrame) -> pd.DataFrame:
    """Participantes por tema: cada grupo entra una vez por tema, con la suma de sus prioridades."""
    columnas = ["tema", "participantes", "quienes", "quienes_breve", "competencias", "prioridad"]
    filas = elegidas.merge(temas[["competencia", "tema"]], on="competencia", how="inner")
    if filas.empty:
        return pd.DataFrame(columns=columnas)
    por_grupo = filas.groupby(["tema", "grupo", "etiqueta"], sort=False).agg(
        prioridad=("prioridad", "sum"), competencias=("nombre_competencia", lambda c: sorted(set(c)))).reset_index()
    por_grupo = por_grupo.sort_values(["tema", "prioridad"], ascending=[True, False], kind="stable")
    sesiones = por_grupo.groupby("tema", sort=False).agg(
        participantes=("grupo", "size"), quienes=("etiqueta", ", ".join), quienes_breve=("etiqueta", lista_breve),
        competencias=("competencias", lambda listas: ", ".join(sorted({c for lista in listas for c in lista}))),
        prioridad=("prioridad", "sum")).reset_index()
    return sesiones.sort_values(["prioridad", "participantes"], ascending=False, kind="stable")[columnas] \
        .reset_index(drop=True)


def progreso(por_ronda: pd.DataFrame, *, antes, despues, por: str = "agente", minimo: int = 5,
             alfa: float = 0.05, estandar: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cambio del puntaje medio entre dos rondas de auditoría, por grupo (y competencia si la hay).

    Parameters
    ----------
    por_ronda : una fila por agente (y competencia) y ronda, con ``agente_id``, ``ronda``, ``n``,
        ``suma``, ``suma2`` (escala común) y la columna del nivel ``por``.
    antes, despues : las dos rondas que se comparan (valores de ``ronda``).
    por : 'agente', 'equipo', 'supervisor' o 'rol_servicio'; los niveles superiores suman las
        calificaciones de sus agentes.
    minimo : calificaciones necesarias en cada ronda para comparar.
    alfa : tasa de falsos descubrimientos tolerada (Benjamini y Hochberg 1995).
    estandar : ``competencia``, ``nombre`` y ``orden``; si se da, añade ``nombre_competencia`` y
        ordena las competencias como el estándar.

    Returns
    -------
    DataFrame con ``grupo``, ``etiqueta``, [``competencia``, ``nombre_competencia``], ``n_antes``, ``puntaje_antes``,
    ``n_despues``, ``puntaje_despues``, ``cambio``, ``p`` (Welch), ``q`` (ajustado por BH) y
    ``veredicto`` ('Mejoró', 'Empeoró', 'Sin cambio claro' o 'Muestra insuficiente'). El puntaje de
    una ronda con menos de ``minimo`` calificaciones queda vacío, y con él el cambio
    (``analisis.privacidad.ocultar_pequenos``): ni la pantalla ni los informes lo muestran.
    """
    faltan = sorted({"agente_id", "ronda", "n", "suma", "suma2"} - set(por_ronda.columns))
    if faltan:
        raise ValueError(f"'por_ronda' no tiene las columnas {faltan}")
    if por not in NIVELES:
        raise ValueError(f"'por' debe ser uno de {list(NIVELES)}, no {por!r}")
    if minimo < 2:
        raise ValueError("'minimo' debe ser al menos 2 para comparar medias")
    claves = ["grupo", "etiqueta"] + (["competencia"] if "competencia" in por_ronda.columns else [])
    datos = pd.concat([etiquetas(por_ronda, por).drop(columns="agente_id"),
                       por_ronda.drop(columns=["agente_id"] + [c for c in ("grupo", "etiqueta") if c in por_ronda])],
                      axis=1)
    sumas = datos.groupby(claves + ["ronda"], sort=False)[["n", "suma", "suma2"]].sum().reset_index()
    uno = sumas[sumas["ronda"] == antes].drop(columns="ronda")
    otro = sumas[sumas["ronda"] == despues].drop(columns="ronda")
    tabla = uno.merge(otro, on=claves, how="outer", suffixes=("_antes", "_despues"))
    for lado in ("antes", "despues"):
        tabla[f"n_{lado}"] = tabla[f"n_{lado}"].fillna(0).astype(int)
        tabla[f"puntaje_{lado}"] = tabla[f"suma_{lado}"] / tabla[f"n_{lado}"].replace(0, np.nan)
    tabla["cambio"] = tabla["puntaje_despues"] - tabla["puntaje_antes"]
    comparable = (tabla["n_antes"] >= minimo) & (tabla["n_despues"] >= minimo)
    tabla["p"] = [comparar_medias((f.suma_despues, f.suma2_despues, f.n_despues),
                                  (f.suma_antes, f.suma2_antes, f.n_antes)).p if ok else _NAN
                  for f, ok in zip(tabla.itertuples(), comparable)]
    tabla["q"] = _NAN
    if comparable.any():
        tabla.loc[comparable, "q"] = stats.false_discovery_control(tabla.loc[comparable, "p"].to_numpy())
    tabla["veredicto"] = np.select(
        [~comparable, (tabla["q"] < alfa) & (tabla["cambio"] > 0), (tabla["q"] < alfa) & (tabla["cambio"] < 0)],
        ["Muestra insuficiente", "Mejoró", "Empeoró"], default="Sin cambio claro")
    for lado in ("antes", "despues"):
        tabla = ocultar_pequenos(tabla, n=f"n_{lado}", columnas=[f"puntaje_{lado}", "cambio"], minimo=minimo)
    columnas = claves + ["n_antes", "puntaje_antes", "n_despues", "puntaje_despues", "cambio", "p", "q", "veredicto"]
    orden = claves
    if estandar is not None and "competencia" in claves:
        tabla = tabla.merge(estandar[["competencia", "nombre", "orden"]].rename(
            columns={"nombre": "nombre_competencia"}), on="competencia", how="left")
        columnas.insert(3, "nombre_competencia")
        orden = ["etiqueta", "orden"]
    return tabla.sort_values(orden, kind="stable")[columnas].reset_index(drop=True)


def etiqueta_ronda(inicio, ronda: str) -> str:
    """Nombre legible de una ronda que empieza en ``inicio`` ('mes', 'trimestre' o 'semestre').

    >>> import datetime
    >>> etiqueta_ronda(datetime.date(2026, 7, 1), "semestre"), etiqueta_ronda(datetime.date(2026, 4, 1), "trimestre")
    ('2.º semestre de 2026', '2.º trimestre de 2026')
    >>> etiqueta_ronda(datetime.date(2026, 3, 1), "mes")
    'marzo de 2026'
    """
    inicio = pd.Timestamp(inicio)
    ordinales = {1: "1.er", 2: "2.º", 3: "3.er", 4: "4.º"}
    if ronda == "mes":
        return fecha(inicio.date()).split(" de ", 1)[1]
    if ronda == "trimestre":
        return f"{ordinales[(inicio.month - 1) // 3 + 1]} trimestre de {inicio.year}"
    if ronda == "semestre":
        return f"{ordinales[1 if inicio.month <= 6 else 2]} semestre de {inicio.year}"
    raise ValueError(f"'ronda' debe ser 'mes', 'trimestre' o 'semestre', no {ronda!r}")


#: Meses de cada duración de ronda.
_MESES_RONDA = {"mes": 1, "trimestre": 3, "semestre": 6}


def ronda_completa(inicio, ronda: str, hasta) -> bool:
    """True si la ronda que empieza en ``inicio`` termina en o antes de ``hasta`` (el último día con datos).

    Una ronda incompleta (el 4.º trimestre con solo octubre) no se compara por defecto: tiene menos
    auditorías y su puntaje no es el de la ronda entera.

    >>> import datetime
    >>> ronda_completa(datetime.date(2026, 10, 1), "trimestre", datetime.date(2026, 10, 31))
    False
    >>> ronda_completa(datetime.date(2026, 7, 1), "trimestre", datetime.date(2026, 10, 31))
    True
    """
    if ronda not in _MESES_RONDA:
        raise ValueError(f"'ronda' debe ser 'mes', 'trimestre' o 'semestre', no {ronda!r}")
    fin = pd.Timestamp(inicio) + pd.DateOffset(months=_MESES_RONDA[ronda]) - pd.Timedelta(days=1)
    return fin <= pd.Timestamp(hasta)


def rondas_por_defecto(disponibles: list, ronda: str, hasta) -> tuple[int, int]:
    """Posiciones en ``disponibles`` (inicios de ronda ordenados, al menos dos) de las rondas que se comparan
    por defecto: la última ronda completa hasta ``hasta`` y la anterior (la última, si ninguna está completa).

    >>> import datetime
    >>> rondas_por_defecto([datetime.date(2026, 4, 1), datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)],
    ...                    "trimestre", datetime.date(2026, 10, 31))
    (0, 1)
    """
    completas = [ronda_completa(r, ronda, hasta) for r in disponibles]
    ultima = max(max((i for i, ok in enumerate(completas) if ok), default=len(disponibles) - 1), 1)
    return ultima - 1, ultima


def sesgo_auditores(calificaciones: pd.DataFrame, *, confianza: float = CONFIANZA, umbral: float = 0.05,
                    minimo: int = 0) -> pd.DataFrame:
    """Desvío medio de cada auditor frente a los demás auditores de los mismos agentes.

    Para cada agente calificado por el auditor y por otros: d = media del auditor − media de
    los demás (escala común), con peso w = n_a·n_o / (n_a + n_o). Desvío = Σ w·d / Σ w, con
    error robusto por agente √(G/(G−1)·Σ w²(d − desvío)²) / Σ w y t de G − 1 grados de libertad.
    Compara auditorías del mismo agente, así que un auditor que audita a los peores agentes no
    parece más exigente por eso.

    Parameters
    ----------
    calificaciones : ``auditor``, ``agente_id``, ``auditorias``, ``n`` y ``suma``
        (``consultas.calificaciones_por_auditor``).
    umbral : desvío (en escala común) a partir del cual un desvío claro se lee como sesgo.
    minimo : auditorías (comparadas) por debajo de las que no se muestra la cifra de un auditor
        (umbral por persona de ``analisis.privacidad``; 0: sin umbral).

    Returns
    -------
    DataFrame por auditor: ``auditor``, ``desvio``, ``ic_inf``, ``ic_sup``, ``agentes`` comparados,
    ``auditorias``, ``calificaciones`` y ``lectura``.
    """
    faltan = sorted({"auditor", "agente_id", "auditorias", "n", "suma"} - set(calificaciones.columns))
    if faltan:
        raise ValueError(f"'calificaciones' no tiene las columnas {faltan}")
    if umbral < 0:
        raise ValueError("'umbral' no puede ser negativo")
    datos = calificaciones[calificaciones["n"] > 0]
    totales = datos.groupby("agente_id")[["n", "suma"]].sum().rename(columns={"n": "n_total", "suma": "suma_total"})
    datos = datos.join(totales, on="agente_id")
    datos = datos.assign(n_otros=datos["n_total"] - datos["n"])
    datos = datos[datos["n_otros"] > 0]
    datos = datos.assign(d=datos["suma"] / datos["n"] - (datos["suma_total"] - datos["suma"]) / datos["n_otros"],
                         w=datos["n"] * datos["n_otros"] / datos["n_total"])
    filas = [_desvio(auditor, grupo, confianza, umbral) for auditor, grupo in datos.groupby("auditor", sort=True)]
    columnas = ["auditor", "desvio", "ic_inf", "ic_sup", "agentes", "auditorias", "calificaciones", "lectura"]
    tabla = ocultar_pequenos(pd.DataFrame(filas, columns=columnas), n="auditorias",
                             columnas=["desvio", "ic_inf", "ic_sup"], minimo=minimo)
    tabla.loc[tabla["desvio"].isna(), "lectura"] = f"Menos de {minimo} auditorías: cifra oculta"
    return tabla


def _desvio(auditor: str, grupo: pd.DataFrame, confianza: float, umbral: float) -> dict:
    """Desvío ponderado de un auditor con su intervalo robusto y su lectura."""
    w, d = grupo["w"].to_numpy(), grupo["d"].to_numpy()
    desvio = float((w * d).sum() / w.sum())
    g = len(grupo)
    inf = sup = _NAN
    if g >= 2:
        error = math.sqrt(g / (g - 1) * ((w * (d - desvio)) ** 2).sum()) / w.sum()
        mitad = float(stats.t.ppf(0.5 + confianza / 2, g - 1)) * error
        inf, sup = desvio - mitad, desvio + mitad
    if g < 2:
        lectura = "Pocos datos para comparar"
    elif inf > 0 and desvio >= umbral:
        lectura = "Más benévolo que los demás"
    elif sup < 0 and desvio <= -umbral:
        lectura = "Más exigente que los demás"
    else:
        lectura = "En línea con los demás"
    return {"auditor": auditor, "desvio": desvio, "ic_inf": inf, "ic_sup": sup, "agentes": g,
            "auditorias": int(grupo["auditorias"].sum()), "calificaciones": int(grupo["n"].sum()),
            "lectura": lectura}
