"""Las cifras de KPI leídas de los agregados diarios (``datos.almacen.agregados``) en vez de las filas.

Una consulta de ``resumen`` o ``tendencias`` usa los agregados cuando ``vigentes`` lo permite (motor
DuckDB, tablas al día) y su desglose es una de sus dimensiones; si no, lee las filas. Ambos caminos dan
las mismas columnas con los mismos tipos (``como_filas``): las páginas no saben cuál se usó. Sumas y
conteos son exactos; medianas y p90 salen del histograma con error relativo ≤
``ERROR_PERCENTIL_HISTOGRAMA`` (``nota_histograma`` lo dice en la tarjeta).
"""

from collections.abc import Callable
import ibis
from ibis.backends.duckdb import Backend as DuckDBBackend
from ibis.expr.types import Table

from analisis.escalas import ERROR_PERCENTIL_HISTOGRAMA
from analisis.formato import porcentaje
from datos.almacen.agregados import DIMENSIONES, ORIGENES, valor_de_cubeta
from datos.consultas.filtros import Filtros, filtrar

__all__ = ["vigentes", "usar", "filtrados", "tiempos", "percentiles", "sobre_umbral", "como_filas", "sumar",
           "nota_histograma", "por_periodo", "Agrupar", "encuestas_agregadas", "interacciones_agregadas"]

#: Filtro de ``Filtros`` de cada dimensión de los agregados.
_FILTRO_DE = {"canal": "canales", "sucursal": "sucursales", "tipo_cliente": "tipos_cliente", "equipo": "equipos"}


def vigentes(con: ibis.BaseBackend, origen: str) -> bool:
    """Si los agregados de ``origen`` ('encuestas' o 'interacciones') se pueden leer en ``con``.

    Solo en el backend DuckDB del almacén, cuyas migraciones crean los agregados (otros motores leen
    las filas de su lago o catálogo), y si ``agregados_estado`` anota tantas filas como tiene hoy la tabla:
    una escritura que no pasó por ``datos.almacen.derivados`` los deja de lado en vez de dar cifras viejas.
    """
    if not isinstance(con, DuckDBBackend):  # Spark, o un motor por URL (aunque sea otro archivo DuckDB)
        return False
    if origen not in ORIGENES:
        raise ValueError(f"'origen' debe ser uno de {list(ORIGENES)}, no {origen!r}")
    # Una comprobación de metadatos, no una lectura de datos: SQL directo (30 ms menos que con Ibis).
    filas = con.con.execute(f"SELECT (SELECT filas FROM agregados_estado WHERE tabla = ?) = "
                            f"(SELECT count(*) FROM {origen})", [origen]).fetchall()
    return bool(filas[0][0])


def usar(con: ibis.BaseBackend, origen: str, desglose: str | None = None) -> bool:
    """Si una consulta de ``origen`` con ``desglose`` (None o una columna) puede leer los agregados."""
    return (desglose is None or desglose in DIMENSIONES) and vigentes(con, origen)


def _condiciones(t: Table, filtros: Filtros) -> list:
    """Condiciones de ``filtros`` sobre una tabla de agregados (días enteros y dimensiones)."""
    condiciones = []
    if filtros.desde is not None:
        condiciones.append(t.dia >= ibis.date(filtros.desde.isoformat()))
    if filtros.hasta is not None:
        condiciones.append(t.dia <= ibis.date(filtros.hasta.isoformat()))
    for dimension in DIMENSIONES:
        valores = getattr(filtros, _FILTRO_DE[dimension])
        if valores:
            condiciones.append(t[dimension].isin(list(valores)))
    return condiciones


def filtrados(con: ibis.BaseBackend, origen: str, filtros: Filtros) -> Table:
    """Filas de ``agregados_<origen>`` dentro de ``filtros``."""
    t = con.table(f"agregados_{origen}")
    return filtrar(t, _condiciones(t, filtros))


def tiempos(con: ibis.BaseBackend, filtros: Filtros, medida: str) -> Table:
    """Filas del histograma de ``medida`` ('respuesta' o 'resolucion') dentro de ``filtros``, con ``valor``."""
    t = con.table("agregados_tiempos")
    t = filtrar(t, [t.medida == medida, *_condiciones(t, filtros)])
    return t.mutate(valor=valor_de_cubeta(t.cubeta))


def por_periodo(filtros: Filtros) -> "Agrupar":
    """Columna ``periodo`` de una tabla de agregados: 'actual' desde ``filtros.desde``, si no 'anterior'."""
    desde = ibis.date(filtros.desde.isoformat())
    return lambda t: {"periodo": ibis.ifelse(t.dia >= desde, "actual", "anterior")}


def sumar(t: Table, claves: list[str], columnas: list[str]) -> Table:
    """Suma de ``columnas`` por ``claves``."""
    return t.group_by(claves).aggregate(**{c: t[c].sum() for c in columnas})


def _por(t: Table, claves: list[str], **metricas) -> Table:
    """``aggregate`` por ``claves`` (sin claves: una fila)."""
    return t.group_by(claves).aggregate(**metricas) if claves else t.aggregate(**metricas)


def percentiles(hist: Table, claves: list[str], cuantiles: dict[str, float]) -> Table:
    """Un percentil por nombre de ``cuantiles`` y por ``claves``, del histograma ``hist`` (con ``valor``).

    Como ``quantile_cont`` de DuckDB: la posición (n − 1)·q entre los valores ordenados, interpolando
    entre sus dos vecinos; el rango es exacto (los conteos lo son) y cada vecino es el representante
    de su cubeta, a menos de ``ERROR_PERCENTIL_HISTOGRAMA`` del valor verdadero.
    """
    g = hist.group_by([*claves, "cubeta"]).aggregate(n=hist.n.sum(), valor=hist.valor.max())
    grupo = claves or None
    g = g.mutate(hasta=g.n.sum().over(ibis.cumulative_window(group_by=grupo, order_by="cubeta")),
                 total=g.n.sum().over(ibis.window(group_by=grupo)))
    g = g.mutate(desde=g.hasta - g.n)
    metricas = {}
    for nombre, cuantil in cuantiles.items():
        posicion = (g.total - 1) * cuantil
        bajo, alto = posicion.floor(), posicion.ceil()
        valor_bajo = g.valor.max(where=(g.desde <= bajo) & (bajo < g.hasta))
        valor_alto = g.valor.max(where=(g.desde <= alto) & (alto < g.hasta))
        metricas[nombre] = valor_bajo + (valor_alto - valor_bajo) * (posicion - bajo).max()
    return _por(g, claves, **metricas)


def sobre_umbral(hist: Table, umbrales: Table, umbral: str, claves: list[str], nombre: str) -> Table:
    """Cuántos valores de ``hist`` superan la columna ``umbral`` de ``umbrales``, por ``claves``.

    ``umbrales`` tiene una fila por valor de sus claves comunes con ``hist`` (ninguna: una fila).
    Los valores de la cubeta del umbral, a menos de ``ERROR_PERCENTIL_HISTOGRAMA`` de él, se cuentan
    por su representante: el conteo difiere del exacto a lo sumo en los valores de esa cubeta.
    """
    comunes = [c for c in umbrales.columns if c != umbral]
    unidos = hist.join(umbrales, comunes) if comunes else hist.cross_join(umbrales)
    return _por(unidos, claves, **{nombre: ibis.ifelse(unidos.valor > unidos[umbral], unidos.n, 0).sum()})


def como_filas(agregada: Table, por_filas: Table) -> Table:
    """``agregada`` con las columnas de ``por_filas`` (la consulta sobre las filas), en su orden y tipos."""
    esquema = por_filas.schema()
    return agregada.select(*[agregada[c].cast(esquema[c]).name(c) for c in por_filas.columns])


def nota_histograma() -> str:
    """Aviso de las medianas y p90 leídos del histograma de los agregados.

    >>> nota_histograma()
    'Mediana y p90 de los agregados diarios: error relativo ≤ 1 %.'
    """
    return f"Mediana y p90 de los agregados diarios: error relativo ≤ {porcentaje(ERROR_PERCENTIL_HISTOGRAMA, 0)}."


#: Función que da las columnas de agrupación (``periodo``, ``grupo``…) de una tabla de agregados.
Agrupar = Callable[[Table], dict[str, ibis.Value]]

#: Percentiles que las consultas por filas pueden pedir: (medida del histograma, cuantil).
_CUANTILES = {"respuesta_mediana": ("respuesta", 0.5), "respuesta_p90": ("respuesta", 0.9),
              "resolucion_mediana": ("resolucion", 0.5), "resolucion_p90": ("resolucion", 0.9)}

#: Conteos de la prueba de la mediana de Mood: tiempos sobre la mediana de ambos periodos juntos.
_MOOD = {"sobre_mediana_conjunta": "respuesta", "resolucion_sobre_mediana_conjunta": "resolucion"}


def _agrupada(t: Table, agrupar: Agrupar) -> tuple[Table, list[str]]:
    """``t`` con las columnas de ``agrupar`` y sus nombres."""
    columnas = agrupar(t)
    return t.mutate(**columnas), list(columnas)


def _unir(izquierda: Table, derecha: Table, claves: list[str]) -> Table:
    """``izquierda`` con las columnas nuevas de ``derecha`` (unión por la izquierda sobre ``claves``)."""
    unida = izquierda.left_join(derecha, claves)
    return unida.select(*izquierda.columns, *[c for c in derecha.columns if c not in claves])


def _ordenada(t: Table, orden: list[str] | None) -> Table:
    """``t`` ordenada por ``orden`` (None: sin orden)."""
    return t.order_by(orden) if orden else t


def encuestas_agregadas(con: ibis.BaseBackend, filtros: Filtros, agrupar: Agrupar, por_filas: Table,
                        orden: list[str] | None = None) -> Table:
    """Lo mismo que ``por_filas`` (sumas de encuestas por las columnas de ``agrupar``), de los agregados."""
    t, claves = _agrupada(filtrados(con, "encuestas", filtros), agrupar)
    sumas = [c for c in por_filas.columns if c not in claves]
    return _ordenada(como_filas(sumar(t, claves, sumas), por_filas), orden)


def interacciones_agregadas(con: ibis.BaseBackend, filtros: Filtros, agrupar: Agrupar, por_filas: Table,
                            orden: list[str] | None = None) -> Table:
    """Lo mismo que ``por_filas`` (métricas de interacciones por las columnas de ``agrupar``), de los agregados.

    Las sumas salen de ``agregados_interacciones``; los percentiles y los conteos de Mood que
    ``por_filas`` tenga, del histograma. La mediana conjunta de Mood es la de todos los periodos de
    cada grupo (las claves sin ``periodo``), como en las consultas por filas.
    """
    t, claves = _agrupada(filtrados(con, "interacciones", filtros), agrupar)
    pedidos = set(por_filas.columns) - set(claves)
    resultado = sumar(t, claves, sorted(pedidos - set(_CUANTILES) - set(_MOOD)))
    for medida in ("respuesta", "resolucion"):
        cuantiles = {n: q for n, (m, q) in _CUANTILES.items() if m == medida and n in pedidos}
        mood = [n for n, m in _MOOD.items() if m == medida and n in pedidos]
        if not cuantiles and not mood:
            continue
        hist, _ = _agrupada(tiempos(con, filtros, medida), agrupar)
        hist = hist.group_by([*claves, "cubeta"]).aggregate(n=hist.n.sum(), valor=hist.valor.max())
        if cuantiles:
            resultado = _unir(resultado, percentiles(hist, claves, cuantiles), claves)
        for nombre in mood:
            conjuntas = [c for c in claves if c != "periodo"]
            medianas = percentiles(hist, conjuntas, {"_mediana": 0.5})
            resultado = _unir(resultado, sobre_umbral(hist, medianas, "_mediana", claves, nombre), claves)
    return _ordenada(como_filas(resultado, por_filas), orden)
