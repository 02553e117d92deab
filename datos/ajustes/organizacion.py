"""La configuración propia de la organización: cadena, escalas, etiquetas, metas y promesas.

Una ``Configuracion`` tiene seis secciones; cada una es ``None`` si no se da (un archivo puede traer
solo algunas) y, si se da, reemplaza entera lo guardado:

- ``etapas``: la cadena de servicio en orden (``Etapa``: nombre, descripción, meta de la media 1–5).
- ``escalas``: medida -> ``datos.ingesta.escalas.Escala`` (cómo escriben los archivos CSAT, NPS, CES,
  las etapas y las auditorías, y sus códigos «no aplica»). Cada medida es su propia sección.
- ``etiquetas``: texto -> número, que toda carga usa (la escala propia de ``escala_etiquetas``).
- ``metas``: KPI -> meta que rige desde siempre, en todas las sucursales y canales.
- ``metas_por_fecha``: metas que rigen desde una fecha, opcionalmente en una sucursal o un canal.
- ``promesas``: canal -> minutos prometidos hasta la primera respuesta (decide ``promesa_cumplida``
  de los contactos que traen el tiempo pero no ese dato).

``errores`` valida una configuración (lo mismo para la página y para el archivo TOML) y ``aplicar``
la guarda en una transacción, anotando en la bitácora cada cambio con su valor anterior y el nuevo.
Las etapas que salen de la cadena conservan sus calificaciones (no se analizan); renombrar, fundir
y borrar calificaciones están en ``datos.ajustes.cadena``.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import duckdb

from analisis.errores import AjusteNoValido
from analisis.escalas import ESCALA_CES, ESCALA_CSAT
from analisis.formato import fecha, numero
from analisis.tendencias.indicadores import INDICADORES, sentido_predeterminado
from datos.almacen.derivados import subir_version
from datos.almacen.esquema import ETAPAS_PREDETERMINADAS
from datos.almacen.transaccion import transaccion
from datos.cuentas.usuarios import registrar
from datos.ingesta.escalas import MEDIDAS, NOMBRES_MEDIDAS, Escala, escalas_configuradas
from datos.ingesta.lectura import normalizar
from datos.ingesta.validacion import ESCALA_PROPIA

__all__ = ["Etapa", "MetaDesde", "Configuracion", "CADENA_SUGERIDA", "KPIS", "leer", "errores", "revisar",
           "diferencias", "aplicar", "calificaciones_por_etapa", "avisos"]

#: KPI con meta configurable: clave -> nombre visible.
KPIS: dict[str, str] = {k.clave: k.titulo for k in INDICADORES}
_LARGO_NOMBRE, _LARGO_DESCRIPCION = 80, 500


@dataclass(frozen=True)
class Etapa:
    """Una etapa de la cadena: nombre, descripción y meta de su media (escala 1–5; ``None``: sin meta)."""

    nombre: str
    descripcion: str = ""
    meta: float | None = None


#: La cadena que ofrece la guía de inicio (la misma de la demostración), con su meta de la media 1–5.
CADENA_SUGERIDA: tuple[Etapa, ...] = tuple(Etapa(nombre, "", meta) for nombre, meta in ETAPAS_PREDETERMINADAS)


@dataclass(frozen=True)
class MetaDesde:
    """La meta de un KPI desde ``desde`` (inclusive), en una sucursal o un canal ('' = todos)."""

    kpi: str
    meta: float
    desde: date
    sucursal: str = ""
    canal: str = ""

    def texto(self) -> str:
        """Cómo se nombra en la bitácora y en los avisos."""
        donde = "".join(f", {n} «{v}»" for n, v in (("sucursal", self.sucursal), ("canal", self.canal)) if v)
        return f"meta de {self.kpi} desde el {fecha(self.desde)}{donde}"


@dataclass(frozen=True)
class Configuracion:
    """Las secciones de la configuración; ``None`` = sección ausente (no se toca al aplicar)."""

    etapas: tuple[Etapa, ...] | None = None
    escalas: dict[str, Escala] | None = None
    etiquetas: dict[str, float] | None = None
    metas: dict[str, float] | None = None
    metas_por_fecha: tuple[MetaDesde, ...] | None = None
    promesas: dict[str, float] | None = field(default=None)


# ---------------------------------------------------------------------------
# Lectura
# ---------------------------------------------------------------------------

def leer(con: duckdb.DuckDBPyConnection) -> Configuracion:
    """Toda la configuración guardada, con todas sus secciones."""
    etapas = tuple(Etapa(nombre, descripcion or "", meta) for nombre, descripcion, meta in con.execute(
        "SELECT etapa, descripcion, meta FROM etapas ORDER BY orden, etapa").fetchall())
    etiquetas = dict(con.execute("SELECT etiqueta, valor FROM escala_etiquetas WHERE escala = ? ORDER BY etiqueta",
                                 [ESCALA_PROPIA]).fetchall())
    metas = dict(con.execute("SELECT kpi, meta FROM metas ORDER BY kpi").fetchall())
    por_fecha = tuple(MetaDesde(kpi, meta, desde, sucursal, canal) for kpi, desde, sucursal, canal, meta in con.execute(
        "SELECT kpi, desde, sucursal, canal, meta FROM metas_por_fecha ORDER BY kpi, desde, sucursal, canal"
    ).fetchall())
    promesas = dict(con.execute("SELECT canal, minutos FROM promesas ORDER BY canal").fetchall())
    return Configuracion(etapas, escalas_configuradas(con), etiquetas, metas, por_fecha, promesas)


def calificaciones_por_etapa(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Etapa -> calificaciones guardadas (con valor), de todas las etapas que tienen alguna en el almacén DuckDB,
    donde las renombran, funden y borran las acciones de ``datos.ajustes.cadena`` (también con el motor Spark)."""
    return dict(con.execute("SELECT etapa, count(calificacion) FROM encuesta_etapas GROUP BY etapa").fetchall())


# ---------------------------------------------------------------------------
# Validación (la misma para la página y para el archivo)
# ---------------------------------------------------------------------------

def _numero_valido(valor) -> bool:
    """True si ``valor`` es un número real finito (no un booleano)."""
    return isinstance(valor, (int, float)) and not isinstance(valor, bool) and math.isfinite(valor)


def _errores_etapas(etapas: tuple[Etapa, ...]) -> list[str]:
    """Nombres vacíos, largos o repetidos (sin distinguir mayúsculas ni tildes) y metas fuera de 1–5."""
    errores, vistos = [], {}
    for etapa in etapas:
        nombre = etapa.nombre.strip() if isinstance(etapa.nombre, str) else ""
        if not nombre:
            errores.append("Cadena: hay una etapa sin nombre.")
            continue
        if len(nombre) > _LARGO_NOMBRE:
            errores.append(f"Cadena: el nombre «{nombre[:40]}…» es muy largo (máximo {_LARGO_NOMBRE} caracteres).")
        clave = normalizar(nombre)
        if clave in vistos:
            errores.append(f"Cadena: la etapa «{nombre}» está repetida (ya está «{vistos[clave]}»).")
        vistos[clave] = nombre
        if len(etapa.descripcion or "") > _LARGO_DESCRIPCION:
            errores.append(f"Cadena: la descripción de «{nombre}» pasa de {_LARGO_DESCRIPCION} caracteres.")
        minimo, maximo = ESCALA_CSAT
        if etapa.meta is not None and not (_numero_valido(etapa.meta) and minimo <= etapa.meta <= maximo):
            errores.append(f"Cadena: la meta de «{nombre}» debe ser un número entre {minimo} y {maximo} "
                           "(la media de sus calificaciones).")
    return errores


def _errores_escala(medida: str, escala: Escala) -> list[str]:
    """Medida conocida, mínimo < máximo y códigos «no aplica» numéricos fuera de la escala."""
    if medida not in MEDIDAS:
        return [f"Escalas: «{medida}» no es una medida; use una de {', '.join(MEDIDAS)}."]
    nombre = NOMBRES_MEDIDAS[medida]
    errores = []
    if MEDIDAS[medida] is None:
        if escala.minimo is not None or escala.maximo is not None:
            errores.append(f"Escalas: en {nombre} la escala la da cada archivo (1–5, 0–100 o cumple); aquí solo se "
                           "configuran los códigos «no aplica» (sin_dato).")
    elif not (_numero_valido(escala.minimo) and _numero_valido(escala.maximo)):
        errores.append(f"Escalas: {nombre} necesita un mínimo y un máximo numéricos.")
    elif escala.minimo >= escala.maximo:
        errores.append(f"Escalas: en {nombre} el mínimo ({numero(escala.minimo, 0)}) debe ser menor que el máximo "
                       f"({numero(escala.maximo, 0)}).")
    for codigo in escala.sin_dato:
        if not _numero_valido(codigo):
            errores.append(f"Escalas: en {nombre} los códigos «no aplica» deben ser números (no {codigo!r}).")
        elif _numero_valido(escala.minimo) and _numero_valido(escala.maximo) and \
                escala.minimo <= codigo <= escala.maximo:
            errores.append(f"Escalas: en {nombre} el código «no aplica» {numero(codigo, 0)} está dentro de la escala "
                           f"{numero(escala.minimo, 0)}–{numero(escala.maximo, 0)}: no puede ser a la vez una nota.")
    return errores


def _errores_meta(kpi: str, meta, donde: str) -> list[str]:
    """KPI conocido y meta en el rango de su unidad."""
    if kpi not in KPIS:
        return [f"{donde}: «{kpi}» no es un indicador; use uno de {', '.join(KPIS)}."]
    if not _numero_valido(meta):
        return [f"{donde}: la meta de {kpi} debe ser un número."]
    unidad = next(k.unidad for k in INDICADORES if k.clave == kpi)
    rango = {"proporcion": (0.0, 1.0), "puntos": (-100.0, 100.0),
             "escala": ESCALA_CES if kpi == "ces_media" else ESCALA_CSAT}.get(unidad, (0.0, math.inf))
    if rango[0] <= meta <= rango[1]:
        return []
    if rango[1] == math.inf:
        return [f"{donde}: la meta de {kpi} debe ser 0 o más."]
    texto = "0 y 1 (0,9 = 90 %)" if unidad == "proporcion" else f"{numero(rango[0], 0)} y {numero(rango[1], 0)}"
    return [f"{donde}: la meta de {kpi} debe estar entre {texto}."]


def _errores_metas_por_fecha(metas: tuple[MetaDesde, ...]) -> list[str]:
    """Cada meta con fecha válida y sin dos para el mismo KPI, fecha, sucursal y canal."""
    errores, vistas = [], set()
    for meta in metas:
        if not isinstance(meta.desde, date):
            errores.append(f"Metas por fecha: la meta de {meta.kpi} necesita la fecha desde la que rige (AAAA-MM-DD).")
            continue
        errores += _errores_meta(meta.kpi, meta.meta, "Metas por fecha")
        clave = (meta.kpi, meta.desde, meta.sucursal.strip(), meta.canal.strip())
        if clave in vistas:
            errores.append(f"Metas por fecha: la {meta.texto()} está repetida.")
        vistas.add(clave)
    return errores


def errores(config: Configuracion) -> list[str]:
    """Todos los problemas de ``config``, en español (lista vacía si es válida)."""
    lista = []
    if config.etapas is not None:
        lista += _errores_etapas(config.etapas)
    for medida, escala in (config.escalas or {}).items():
        lista += _errores_escala(medida, escala)
    etiquetas_vistas = {}
    for texto, valor in (config.etiquetas or {}).items():
        clave = normalizar(texto) if isinstance(texto, str) else ""
        if not clave:
            lista.append("Etiquetas: hay una etiqueta vacía.")
        elif clave in etiquetas_vistas:
            lista.append(f"Etiquetas: «{texto}» repite «{etiquetas_vistas[clave]}» (se comparan sin mayúsculas ni "
                         "tildes).")
        etiquetas_vistas[clave] = texto
        if not _numero_valido(valor):
            lista.append(f"Etiquetas: el valor de «{texto}» debe ser un número.")
    for kpi, meta in (config.metas or {}).items():
        lista += _errores_meta(kpi, meta, "Metas")
    lista += _errores_metas_por_fecha(config.metas_por_fecha or ())
    for canal, minutos in (config.promesas or {}).items():
        if not (isinstance(canal, str) and canal.strip()):
            lista.append("Promesas: hay un canal sin nombre.")
        if not (_numero_valido(minutos) and minutos > 0):
            lista.append(f"Promesas: los minutos de «{canal}» deben ser un número mayor que 0.")
    return lista


def revisar(config: Configuracion) -> None:
    """Falla con ``AjusteNoValido`` (todos los problemas, uno por línea) si ``config`` no es válida."""
    problemas = errores(config)
    if problemas:
        raise AjusteNoValido("La configuración no es válida; no se cambió nada:\n- " + "\n- ".join(problemas))


# ---------------------------------------------------------------------------
# Diferencias, avisos y escritura
# ---------------------------------------------------------------------------

def _texto(valor) -> str:
    """Un valor de la configuración como se lee en la bitácora."""
    if valor is None:
        return "(nada)"
    if isinstance(valor, Escala):
        return valor.texto()
    if isinstance(valor, Etapa):
        meta = f", meta {numero(valor.meta, 2)}" if valor.meta is not None else ""
        return f"«{valor.nombre}»{meta}" + (f": {valor.descripcion}" if valor.descripcion else "")
    if isinstance(valor, float | int) and not isinstance(valor, bool):
        return numero(valor, 2)
    return str(valor)


def _cambios_de_diccionario(seccion: str, antes: dict, despues: dict) -> list[str]:
    """«sección clave: antes → después» por cada clave añadida, quitada o cambiada."""
    return [f"{seccion} {clave}: {_texto(antes.get(clave))} → {_texto(despues.get(clave))}"
            for clave in sorted(set(antes) | set(despues), key=str) if antes.get(clave) != despues.get(clave)]


def diferencias(antes: Configuracion, despues: Configuracion) -> list[str]:
    """Lo que cambia al aplicar ``despues`` sobre ``antes``, una línea por cambio (valor anterior → nuevo)."""
    lineas = []
    if despues.etapas is not None and despues.etapas != antes.etapas:
        nombres = [e.nombre for e in antes.etapas or ()], [e.nombre for e in despues.etapas]
        if nombres[0] != nombres[1]:
            lineas.append(f"cadena: {' → '.join(nombres[0]) or '(vacía)'}  ⇒  {' → '.join(nombres[1]) or '(vacía)'}")
        lineas += _cambios_de_diccionario("etapa", {e.nombre: e for e in antes.etapas or ()},
                                          {e.nombre: e for e in despues.etapas})
    if despues.escalas is not None:
        lineas += _cambios_de_diccionario("escala", {m: (antes.escalas or {}).get(m) for m in despues.escalas},
                                          despues.escalas)
    secciones = (("etiqueta", "etiquetas"), ("meta", "metas"), ("promesa (min)", "promesas"))
    for nombre, atributo in secciones:
        if getattr(despues, atributo) is not None:
            lineas += _cambios_de_diccionario(nombre, getattr(antes, atributo) or {}, getattr(despues, atributo))
    if despues.metas_por_fecha is not None:
        lineas += _cambios_de_diccionario("", {m.texto(): m.meta for m in antes.metas_por_fecha or ()},
                                          {m.texto(): m.meta for m in despues.metas_por_fecha})
    return [linea.strip() for linea in lineas]


def avisos(con: duckdb.DuckDBPyConnection, config: Configuracion, guardadas: Mapping[str, int]) -> list[str]:
    """Lo que conviene saber antes de aplicar ``config``: etapas que salen de la cadena con calificaciones
    (``guardadas``: etapa → calificaciones, ``calificaciones_por_etapa``)."""
    if config.etapas is None:
        return []
    quedan = {e.nombre for e in config.etapas}
    return [f"La etapa «{e.nombre}» sale de la cadena: sus {numero(guardadas[e.nombre], 0)} calificaciones guardadas "
            "se conservan, pero dejan de analizarse (vuelven si la etapa vuelve)."
            for e in leer(con).etapas if e.nombre not in quedan and guardadas.get(e.nombre)]


def _escribir_etapas(con: duckdb.DuckDBPyConnection, etapas: tuple[Etapa, ...]) -> None:
    """La cadena pasa a ser ``etapas`` en ese orden; las que la organización nombra dejan de ser de la demostración."""
    nombres = [e.nombre.strip() for e in etapas]
    for orden, etapa in enumerate(etapas, 1):
        con.execute("INSERT INTO etapas (etapa, orden, meta, descripcion, carga_id) VALUES (?, ?, ?, ?, NULL) "
                    "ON CONFLICT (etapa) DO UPDATE SET orden = excluded.orden, meta = excluded.meta, "
                    "descripcion = excluded.descripcion, carga_id = NULL",
                    [etapa.nombre.strip(), orden, etapa.meta, (etapa.descripcion or "").strip() or None])
    con.execute("DELETE FROM etapas WHERE NOT list_contains(?, etapa)", [nombres])


def _insertar(con: duckdb.DuckDBPyConnection, sql: str, filas: list[list]) -> None:
    """``executemany`` que acepta una lista vacía (una sección vacía del archivo: no hay nada que insertar)."""
    if filas:
        con.executemany(sql, filas)


def _escribir(con: duckdb.DuckDBPyConnection, config: Configuracion) -> None:
    """Reemplaza cada sección presente de ``config`` (ya validada)."""
    if config.etapas is not None:
        _escribir_etapas(con, config.etapas)
    for medida, escala in (config.escalas or {}).items():
        con.execute("INSERT OR REPLACE INTO escalas_medidas VALUES (?, ?, ?, ?)",
                    [medida, escala.minimo, escala.maximo, [float(c) for c in escala.sin_dato]])
    if config.etiquetas is not None:
        con.execute("DELETE FROM escala_etiquetas WHERE escala = ?", [ESCALA_PROPIA])
        _insertar(con, "INSERT INTO escala_etiquetas VALUES (?, ?, ?)",
                  [[ESCALA_PROPIA, normalizar(t), float(v)] for t, v in config.etiquetas.items()])
    if config.metas is not None:
        con.execute("DELETE FROM metas")
        _insertar(con, "INSERT INTO metas VALUES (?, ?, ?)",
                  [[kpi, float(meta), sentido_predeterminado(kpi)] for kpi, meta in config.metas.items()])
    if config.metas_por_fecha is not None:
        con.execute("DELETE FROM metas_por_fecha")
        _insertar(con, "INSERT INTO metas_por_fecha VALUES (?, ?, ?, ?, ?)",
                  [[m.kpi, m.desde, m.sucursal.strip(), m.canal.strip(), float(m.meta)] for m in config.metas_por_fecha])
    if config.promesas is not None:
        con.execute("DELETE FROM promesas")
        _insertar(con, "INSERT INTO promesas VALUES (?, ?)",
                  [[canal.strip(), float(minutos)] for canal, minutos in config.promesas.items()])


def aplicar(con: duckdb.DuckDBPyConnection, config: Configuracion, *, usuario: str | None) -> list[str]:
    """Valida ``config`` y la guarda en una sola transacción; devuelve los cambios hechos.

    Cada cambio queda en la bitácora (acción «configuración», con el valor anterior y el nuevo) y
    la versión de los datos sube, para que todas las páginas se refresquen.

    Raises
    ------
    AjusteNoValido
        Si ``config`` no es válida (con todos sus problemas); entonces no se cambia nada.
    """
    revisar(config)
    antes = leer(con)
    cambios = diferencias(antes, config)
    with transaccion(con):
        _escribir(con, config)
        for cambio in cambios:
            registrar(con, usuario, "configuración", cambio)
        subir_version(con)
    return cambios
