"""Motor de carga de archivos: preparar, validar, guardar en una transacción y deshacer.

Flujo (la página «Cargar datos», ``python -m datos.cargar`` y el benchmark usan lo mismo)::

    preparacion = Preparacion(con, "encuestas.csv")          # lee cabecera, codificación, dialecto
    mapeo = preparacion.proponer("encuestas")                # recordado o automático
    validacion = preparacion.validar("encuestas", mapeo)     # todo el archivo, en SQL, sin escribir nada
    resultado = preparacion.guardar(validacion, solo_validas=True)
    deshacer(con, resultado.carga_id)

``Preparacion`` trabaja en una conexión propia (un cursor del almacén) cuyas
tablas temporales guardan el archivo convertido entre pasos; nada toca las
tablas del almacén hasta ``guardar``, que escribe todas las filas de la carga
en una sola transacción (o ninguna) y la registra en ``cargas``.

Idempotencia: cada fila tiene una clave natural (``respuesta_id``,
``interaccion_id``, ``auditoria_id``, ``cliente_id``, ``agente_id``); si el
archivo no la trae se deriva del contenido de la fila (huella MD5, con un
ordinal para filas idénticas), así que volver a subir el mismo archivo, o una
exportación que lo contiene, no guarda nada repetido. Además se avisa si un
archivo con la misma huella SHA-256 ya se cargó.

Dónde viven los datos: por defecto en las tablas del almacén. Con ``lago`` (el modo Spark sobre
un lago Parquet, ``datos.lago_cargas``) las comprobaciones contra lo guardado leen el lago y las
filas se escriben en él como archivos de la carga; el registro de cargas sigue en el almacén.
"""

import getpass
import json
import os
import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from analisis.formato import cantidad, numero
from datos.cuentas.exportar import consulta_a_csv
from datos.cuentas.usuarios import registrar
from datos.almacen.derivados import registrar_carga, registrar_escritura
from datos.almacen.transaccion import transaccion
from analisis.errores import ArchivoIlegible, CargaNoEncontrada, MapeoIncompleto
from datos.motores.lago_cargas import EnLago, Lago
from datos.ingesta.lectura import MAX_LINEA_MUESTRA, Archivo, fuente, inspeccionar, normalizar
from datos.ingesta.mapeo import (TIPOS, etapas_y_competencias, mapeo_recordado, opciones_de_destino, proponer,
                         recordar_mapeo, revisar_mapeo, sugerir_tipo)
from datos.ingesta.validacion import (ESCALAS, RANGOS_AUDITORIA, Columna, Formato, columnas_a_validar, detectar_formatos,
                              etiquetas_frecuentes, etiquetas_por_escala, parametros, sql_errores, sql_tipada)

__all__ = ["Preparacion", "Validacion", "Resultado", "cargar_archivo", "deshacer", "historial", "limite_mb",
           "usuario_actual", "tabla_de_etiquetas", "guardar_etiquetas", "MAX_ERRORES_EN_PANTALLA"]

#: Errores que se devuelven en ``Validacion.errores`` (el informe CSV los trae todos).
MAX_ERRORES_EN_PANTALLA = 1_000
_LIMITE_PREDETERMINADO_MB = 200.0
_FILAS_MUESTRA = 5_000
_TABLAS_VARIABLES = {"etapas": ("encuesta_etapas", "respuesta_id", "etapa", "calificacion"),
                     "competencias": ("auditoria_competencias", "auditoria_id", "competencia", "valor")}
_REFERENCIAS = {"cliente_id": ("clientes", "clientes"), "agente_id": ("agentes", "agentes")}
_PREFIJO_GENERADO = {"encuestas": "enc-", "interacciones": "int-", "auditorias": "aud-"}
_RECHAZOS = {
    "TOO MANY COLUMNS": "la fila tiene más columnas que la cabecera (¿un delimitador sin comillas dentro de un texto?)",
    "UNQUOTED VALUE": "tiene comillas sin cerrar o mal puestas",
    "LINE SIZE OVER MAXIMUM": "la fila es demasiado larga (más de 16 MB)",
    "INVALID UNICODE": "tiene caracteres que no corresponden a la codificación del archivo",
    "INVALID ENCODING": "tiene caracteres que no corresponden a la codificación del archivo",
}

Progreso = Callable[[float, str], None]


@dataclass(frozen=True)
class Validacion:
    """Resultado de validar todo el archivo, antes de escribir nada.

    ``errores`` trae hasta ``MAX_ERRORES_EN_PANTALLA`` filas (``fila``, ``columna``,
    ``valor``, ``mensaje``); ``n_errores`` es el total. ``filas_nuevas`` se
    guardarían; ``filas_repetidas`` ya estaban en el almacén; ``desconocidos``
    dice, por tabla ('clientes', 'agentes'), cuántos identificadores citados no
    existen y algunos ejemplos.
    """

    tipo: str
    mapeo: dict[str, str]
    formatos: dict[str, Formato]
    escala_auditoria: str | None
    filas_leidas: int
    filas_nuevas: int
    filas_con_errores: int
    filas_repetidas: int
    n_errores: int
    errores: pd.DataFrame
    errores_por_columna: pd.DataFrame
    vista_previa: pd.DataFrame
    avisos: tuple[str, ...] = ()
    desconocidos: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    ya_cargado: int | None = None

    @property
    def hay_errores(self) -> bool:
        """True si alguna fila tiene errores."""
        return self.filas_con_errores > 0

    def resumen(self) -> str:
        """Una línea en español: leídas, nuevas, repetidas y con errores."""
        return (f"{numero(self.filas_leidas, 0)} filas leídas: {numero(self.filas_nuevas, 0)} nuevas y válidas, "
                f"{numero(self.filas_repetidas, 0)} ya estaban guardadas, "
                f"{numero(self.filas_con_errores, 0)} con errores.")


@dataclass(frozen=True)
class Resultado:
    """Lo que hizo ``guardar``: carga creada (o ``None`` si no se escribió nada), filas y mensaje."""

    carga_id: int | None
    guardadas: int
    repetidas: int
    rechazadas: int
    mensaje: str
    creados: dict[str, int] = field(default_factory=dict)


class Preparacion:
    """Un archivo en preparación dentro de una conexión propia.

    Parameters
    ----------
    con : cursor del almacén (se abre otro cursor propio sobre la misma base).
    ruta : archivo en disco.
    nombre : nombre que ve el usuario (por defecto el de ``ruta``).
    hoja : hoja de Excel (por defecto "Datos" o la primera).
    lago : el lago Parquet donde viven los datos (``datos.lago_cargas.lago_de_cargas()``); ``None``
        (por defecto) para las tablas del almacén.

    Raises
    ------
    ArchivoIlegible, ArchivoDemasiadoGrande
        Si el archivo no se puede leer o supera el límite de ``configuracion``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, ruta: str | os.PathLike, *, nombre: str | None = None,
                 hoja: str | None = None, lago: Lago | None = None):
        self.archivo: Archivo = inspeccionar(ruta, nombre=nombre, limite_mb=limite_mb(con), hoja=hoja)
        self._copia = self.archivo.ruta if os.path.abspath(self.archivo.ruta) != os.path.abspath(ruta) else None
        self._con = con.cursor()
        self._hechos = _hechos(lago)
        self._con.execute("SET enable_progress_bar = true")
        self._con.execute("SET enable_progress_bar_print = false")
        self._paralelo = True
        try:
            self._origen, self._parametros_origen = fuente(self._con, self.archivo)
            self._crear_muestra()
        except BaseException:
            self.cerrar()
            raise
        self._validacion: Validacion | None = None
        self._columnas: list[Columna] = []

    # -- lectura ---------------------------------------------------------------

    def _leer(self, plantilla: str, parametros: dict | None = None, avisar: Progreso | None = None,
              tramo: tuple[float, float] = (0.0, 1.0), mensaje: str = "") -> None:
        """Ejecuta una sentencia que lee el origen (``{origen}`` en la plantilla).

        Si el lector paralelo de CSV no admite el archivo (saltos de línea entre
        comillas y filas cortas a la vez) repite la lectura en serie. Los errores
        del lector se convierten en ``ArchivoIlegible``.
        """
        for intento in range(2):
            sql = plantilla.replace("{origen}", self._origen)
            try:
                _ejecutar(self._con, sql, {**self._parametros_origen, **(parametros or {})}, avisar, tramo, mensaje)
                return
            except duckdb.Error as error:
                texto = str(error)
                if intento == 0 and self.archivo.formato == "csv" and "parallel" in texto:
                    self._origen, self._parametros_origen = fuente(self._con, self.archivo, paralelo=False)
                    continue
                linea = re.search(r"CSV Error on Line: (\d+)", texto)
                detalle = f"la fila {linea.group(1)} no tiene el formato de las demás" if linea \
                    else texto.splitlines()[0][:300]
                raise ArchivoIlegible(f"No se pudo leer «{self.archivo.nombre}»: {detalle}. Revise esa fila "
                                      "(columnas de más, comillas sin cerrar) y vuelva a subirlo.") from error

    def _crear_muestra(self) -> None:
        """Crea ``_muestra`` con las primeras filas; de un CSV, primero con un búfer pequeño (mucho más rápido).

        Si esa lectura rechaza alguna línea (p. ej. una que no cabe en el búfer pequeño) o falla,
        las filas se leen como el resto del archivo.
        """
        plantilla = f"CREATE OR REPLACE TEMP TABLE _muestra AS SELECT * FROM {{origen}} LIMIT {_FILAS_MUESTRA}"
        if self.archivo.formato == "csv":
            origen, parametros = fuente(self._con, self.archivo, linea_maxima=MAX_LINEA_MUESTRA)
            try:
                self._con.execute(plantilla.replace("{origen}", origen), parametros).fetchall()
                if self._con.execute("SELECT count(*) FROM _rechazos").fetchall()[0][0] == 0:
                    return
            except duckdb.Error:
                pass
            for tabla in ("_rechazos", "_rechazos_lectura"):
                self._con.execute(f"DROP TABLE IF EXISTS {tabla}")
        self._leer(plantilla)

    def muestra(self, filas: int = 20) -> pd.DataFrame:
        """Las primeras filas del archivo tal cual (texto), con las cabeceras del usuario."""
        n = len(self.archivo.columnas)
        datos = self._con.execute(f"SELECT {', '.join(f'c{i}' for i in range(n))} FROM _muestra LIMIT ?",
                                  [filas]).fetchall()
        return pd.DataFrame(datos, columns=list(self.archivo.columnas), dtype=object)

    # -- mapeo -------------------------------------------------------------------

    def sugerir_tipo(self) -> str:
        """El tipo de archivo cuyo modelo reconoce más columnas."""
        etapas, competencias = etapas_y_competencias(self._con)
        return sugerir_tipo(self.archivo.columnas, descripciones=self.archivo.descripciones, etapas=etapas,
                            competencias=competencias)

    def proponer(self, tipo: str) -> dict[str, str]:
        """Mapeo columna -> destino: el recordado para estas cabeceras o el automático."""
        recordado = mapeo_recordado(self._con, self.archivo.columnas, tipo)
        if recordado:
            return recordado
        etapas, competencias = etapas_y_competencias(self._con)
        return proponer(self.archivo.columnas, tipo, descripciones=self.archivo.descripciones, etapas=etapas,
                        competencias=competencias)

    def tabla_de_mapeo(self, tipo: str, mapeo: dict[str, str]) -> pd.DataFrame:
        """El mapeo como tabla editable: columna, pregunta (Qualtrics), ejemplo y destino en texto visible."""
        etapas, competencias = etapas_y_competencias(self._con)
        opciones = opciones_de_destino(tipo, etapas, competencias)
        ejemplos = self.muestra(3)
        return pd.DataFrame({
            "Columna del archivo": list(self.archivo.columnas),
            "Pregunta": list(self.archivo.descripciones),
            "Ejemplo": [" · ".join(str(v) for v in ejemplos[c].dropna().astype(str)) for c in self.archivo.columnas],
            "Va a": [opciones.get(mapeo.get(c, ""), opciones[""]) for c in self.archivo.columnas],
        })

    def opciones_de_destino(self, tipo: str) -> list[str]:
        """Textos visibles de los destinos posibles (para el editor de mapeo)."""
        etapas, competencias = etapas_y_competencias(self._con)
        return list(opciones_de_destino(tipo, etapas, competencias).values())

    def mapeo_de_tabla(self, tipo: str, tabla: pd.DataFrame) -> dict[str, str]:
        """Convierte la tabla editada (``tabla_de_mapeo``) de vuelta en columna -> destino."""
        etapas, competencias = etapas_y_competencias(self._con)
        por_texto = {texto: destino for destino, texto in opciones_de_destino(tipo, etapas, competencias).items()}
        return {columna: por_texto.get(texto, "") for columna, texto in
                zip(tabla["Columna del archivo"], tabla["Va a"])}

    def es_recordado(self, tipo: str) -> bool:
        """True si hay un mapeo confirmado antes para estas mismas cabeceras y este tipo."""
        return mapeo_recordado(self._con, self.archivo.columnas, tipo) is not None

    def formatos(self, tipo: str, mapeo: dict[str, str], *, escala_auditoria: str | None = None
                 ) -> tuple[dict[str, Formato], str | None, list[str]]:
        """Formatos detectados (columna -> ``Formato``), escala de auditoría y avisos, para revisar o editar."""
        columnas, escala, avisos = self._columnas_detectadas(tipo, mapeo, escala_auditoria)
        return {c.nombre: c.formato for c in columnas}, escala, avisos

    def _columnas_detectadas(self, tipo: str, mapeo: dict[str, str], escala_auditoria: str | None
                             ) -> tuple[list[Columna], str | None, list[str]]:
        """Columnas mapeadas con formato detectado sobre la muestra."""
        _, competencias = etapas_y_competencias(self._con)
        explicito = revisar_mapeo(tipo, mapeo, self.archivo.columnas, competencias=competencias)
        escalas = etiquetas_por_escala(self._con)
        provisionales = columnas_a_validar(TIPOS[tipo], explicito, self.archivo.columnas, competencias=competencias)
        decimal = "." if self.archivo.delimitador == "," or self.archivo.formato != "csv" else ","
        detectadas, avisos = detectar_formatos(self._con, "_muestra", provisionales, decimal_del_archivo=decimal,
                                               escalas=escalas)
        escala = None
        if TIPOS[tipo].variables == "competencias":
            escala = escala_auditoria or _escala_auditoria(self._con, detectadas)
            if escala not in RANGOS_AUDITORIA:
                raise ValueError(f"'escala_auditoria' debe ser una de {', '.join(RANGOS_AUDITORIA)}")
            detectadas = [Columna(c.indice, c.nombre, c.destino, c2.campo, c.formato) for c, c2 in zip(
                detectadas, columnas_a_validar(TIPOS[tipo], explicito, self.archivo.columnas,
                                               escala_auditoria=escala, competencias=competencias))]
        return detectadas, escala, avisos

    # -- validación ----------------------------------------------------------------

    def validar(self, tipo: str, mapeo: dict[str, str] | None = None, *, formatos: dict[str, Formato] | None = None,
                escala_auditoria: str | None = None, hoy: date | None = None,
                progreso: Progreso | None = None) -> Validacion:
        """Convierte y valida todo el archivo en SQL; no escribe nada en el almacén.

        Parameters
        ----------
        tipo : 'encuestas', 'interacciones', 'auditorias', 'clientes' o 'agentes'.
        mapeo : columna -> destino; ``None`` usa ``proponer(tipo)``.
        formatos : columna -> ``Formato`` para corregir lo detectado (p. ej. mm/dd/aaaa).
        escala_auditoria : '1-5', '0-100' o 'cumple' (auditorías; por defecto se detecta).
        hoy : fecha de referencia para «fecha en el futuro» (por defecto, hoy).
        progreso : función ``(fracción, mensaje)`` para una barra de progreso.

        Raises
        ------
        MapeoIncompleto
            Si el mapeo no sirve (faltan obligatorias, destinos repetidos…).
        ArchivoIlegible
            Si el archivo no se puede leer o no tiene filas de datos.
        """
        avisar = progreso or (lambda fraccion, mensaje: None)
        mapeo = self.proponer(tipo) if mapeo is None else mapeo
        columnas, escala, avisos = self._columnas_detectadas(tipo, mapeo, escala_auditoria)
        columnas = [Columna(c.indice, c.nombre, c.destino, c.campo, (formatos or {}).get(c.nombre, c.formato))
                    for c in columnas]
        definicion = TIPOS[tipo]
        manana = datetime.combine((hoy or date.today()) + timedelta(days=1), datetime.min.time())
        valores = parametros(columnas, etiquetas_por_escala(self._con), manana=manana,
                             es_ficha=tipo in ("clientes", "agentes"))
        valores |= etiquetas_frecuentes(self._con, "_muestra", columnas, valores)
        valores |= {f"n{k}": c.nombre for k, c in enumerate(columnas)}
        reglas = _reglas(definicion, columnas)
        valores |= {f"regla{i}": columna for i, (_, columna, _) in enumerate(reglas)}
        self._crear_tipada(definicion, columnas, reglas, valores, avisar)
        self._columnas = columnas
        avisar(0.75, "Buscando errores y duplicados…")
        self._crear_errores(columnas, reglas, valores, definicion)
        avisar(0.9, "Comparando con lo ya guardado…")
        self._validacion = self._resumir(definicion, columnas, escala, avisos)
        avisar(1.0, "Validación terminada.")
        return self._validacion

    def _fila(self, rid: str) -> str:
        """SQL: número de fila (como en la hoja de cálculo) de la fila ``rid`` de ``_tipada``."""
        if self.archivo.formato != "csv":
            return f"(SELECT x._fila FROM _tipada x WHERE x.rowid = {rid})"
        return f"({rid} + {int(self.archivo.primera_fila)} + (SELECT count(*) FROM _saltos s WHERE s.y <= {rid}))"

    def _crear_tipada(self, tipo, columnas: list[Columna], reglas, valores: dict, avisar: Progreso) -> None:
        """Lee todo el archivo y crea ``_tipada`` (valores convertidos, validez, clave y texto crudo de las filas no válidas).

        El texto crudo solo hace falta para el informe de errores: guardarlo solo en las filas
        no válidas ahorra copiar el archivo entero una segunda vez.
        """
        for tabla in ("_errores", "_duplicadas", "_sufijos", "_saltos"):
            self._con.execute(f"DROP TABLE IF EXISTS {tabla}")
        fila = "_fila" if self.archivo.formato != "csv" else "NULL::BIGINT"
        seleccion = sql_tipada(columnas, "{origen}", fila, [r[0] for r in reglas])
        clave = _sql_clave(tipo, columnas)
        crudos_de_invalidas = ", ".join(f"CASE WHEN _valida THEN NULL ELSE r{k} END AS r{k}" for k in range(len(columnas)))
        self._leer(f"CREATE OR REPLACE TEMP TABLE _tipada AS SELECT * REPLACE ({crudos_de_invalidas}), {clave} "
                   f"FROM ({seleccion})", valores,
                   avisar, (0.0, 0.7), "Leyendo y convirtiendo el archivo…")
        if self.archivo.formato == "csv":
            self._con.execute("CREATE OR REPLACE TEMP TABLE _rechazadas AS SELECT line AS fila, "
                              "min(error_type) AS tipo, min(error_message) AS detalle FROM _rechazos GROUP BY line")
        else:
            self._con.execute("CREATE OR REPLACE TEMP TABLE _rechazadas "
                              "(fila BIGINT, tipo VARCHAR, detalle VARCHAR)")
        self._con.execute("CREATE TEMP TABLE _saltos AS SELECT fila - ? - (row_number() OVER (ORDER BY fila) - 1) "
                          "AS y FROM _rechazadas", [int(self.archivo.primera_fila)])
        total = self._con.execute("SELECT (SELECT count(*) FROM _tipada) + (SELECT count(*) FROM _rechazadas)"
                                  ).fetchall()[0][0]
        if total == 0:
            raise ArchivoIlegible(f"«{self.archivo.nombre}» no tiene filas de datos debajo de la cabecera.")

    def _crear_errores(self, columnas: list[Columna], reglas, valores: dict, tipo) -> None:
        """Crea ``_duplicadas``, ``_sufijos`` y ``_errores`` (fila, columna, valor, mensaje) y las vistas de guardado."""
        self._con.execute(
            "CREATE TEMP TABLE _duplicadas AS WITH d AS (SELECT _clave, min(rowid) AS primera FROM _tipada "
            "WHERE _valida AND NOT _generada GROUP BY _clave HAVING count(*) > 1) "
            "SELECT t.rowid AS _r, d.primera FROM _tipada t JOIN d USING (_clave) WHERE t._valida AND t.rowid > d.primera")
        self._con.execute(
            "CREATE TEMP TABLE _sufijos AS SELECT _r, n FROM (SELECT rowid AS _r, row_number() OVER "
            "(PARTITION BY _clave ORDER BY rowid) AS n FROM _tipada WHERE _valida AND _generada AND _clave IN "
            "(SELECT _clave FROM _tipada WHERE _valida AND _generada GROUP BY _clave HAVING count(*) > 1)) WHERE n > 1")
        clave = next((k for k, c in enumerate(columnas) if c.destino == tipo.clave), None)
        duplicados = ""
        if clave is not None:
            duplicados = (f" UNION ALL SELECT d._r, {self._fila('d._r')}, $n{clave}, t.v{clave}, '''' || "
                          f"left(t.v{clave}, 60) || ''' está repetido (ya aparece en la fila ' || "
                          f"{self._fila('d.primera')} || ')' FROM _duplicadas d JOIN _tipada t ON t.rowid = d._r")
        errores = sql_errores(columnas, "_tipada", self._fila("_tipada.rowid"), reglas)
        mensajes = ", ".join(f"'{k}': '{v}'" for k, v in _RECHAZOS.items())
        _ejecutar(
            self._con, f"CREATE TEMP TABLE _errores AS SELECT CAST(fila AS BIGINT) AS fila, columna, valor, 'Fila ' || fila || "
            f"CASE WHEN columna IS NULL THEN '' ELSE ', columna ' || columna END || ': ' || detalle AS mensaje "
            f"FROM ({errores}{duplicados} UNION ALL SELECT NULL, fila, NULL, NULL, "
            f"coalesce(MAP {{{mensajes}}}[tipo], detalle) FROM _rechazadas)", valores, None)
        self._con.execute(
            "CREATE OR REPLACE TEMP VIEW _con_clave AS SELECT t.rowid AS _r, t.*, CASE WHEN s.n IS NULL THEN "
            "t._clave ELSE t._clave || '-' || s.n END AS _id FROM _tipada t LEFT JOIN _sufijos s ON s._r = t.rowid")
        self._preparar_hechos(tipo, columnas)
        self._con.execute(
            f"CREATE OR REPLACE TEMP VIEW _a_guardar AS SELECT * FROM _con_clave WHERE _valida "
            f"AND _r NOT IN (SELECT _r FROM _duplicadas) "
            f"AND _id NOT IN (SELECT {tipo.clave} FROM {self._hechos.tabla(tipo.tabla)})")

    def _preparar_hechos(self, tipo, columnas: list[Columna]) -> None:
        """Deja listas las claves guardadas que se comparan y las tablas donde se insertaría.

        Las claves son la natural del tipo (``_id``) y los clientes y agentes citados; los destinos,
        esas tablas y la de calificaciones en forma larga.
        """
        claves = [(tipo.tabla, tipo.clave, "SELECT _id FROM _con_clave")]
        claves += [(_REFERENCIAS[c.destino][0], c.destino, f"SELECT v{k} FROM _tipada") for k, c in enumerate(columnas)
                   if c.destino in _REFERENCIAS and tipo.tabla != _REFERENCIAS[c.destino][0]]
        variables = (_TABLAS_VARIABLES[tipo.variables][0],) if tipo.variables in _TABLAS_VARIABLES else ()
        self._hechos.preparar(self._con, claves, tuple(dict.fromkeys(t for t, _, _ in claves)) + variables)

    def _resumir(self, tipo, columnas: list[Columna], escala: str | None, avisos: list[str]) -> Validacion:
        """Cuenta filas, trae los primeros errores, la vista previa y los desconocidos."""
        con = self._con
        leidas, validas = con.execute(
            "SELECT (SELECT count(*) FROM _tipada) + (SELECT count(*) FROM _rechazadas), "
            "(SELECT count(*) FROM _tipada WHERE _valida AND rowid NOT IN (SELECT _r FROM _duplicadas))").fetchall()[0]
        nuevas = con.execute("SELECT count(*) FROM _a_guardar").fetchall()[0][0]
        con_errores, n_errores = con.execute("SELECT count(DISTINCT fila), count(*) FROM _errores").fetchall()[0]
        errores = con.execute("SELECT fila, columna, valor, mensaje FROM _errores ORDER BY fila, columna LIMIT ?",
                              [MAX_ERRORES_EN_PANTALLA]).df()
        por_columna = con.execute("SELECT coalesce(columna, '(fila completa)') AS columna, count(*) AS errores "
                                  "FROM _errores GROUP BY ALL ORDER BY errores DESC").df()
        previa = con.execute(f"SELECT _id AS {tipo.clave}, "
                             + ", ".join(f"v{k} AS c{k}" for k in range(len(columnas)))
                             + " FROM _a_guardar ORDER BY _r LIMIT 50").df()
        previa.columns = [tipo.clave] + [c.destino for c in columnas]
        previa = previa.loc[:, ~previa.columns.duplicated()]
        ya = con.execute("SELECT max(carga_id) FROM cargas WHERE hash = ? AND tipo = ? AND deshecha IS NULL",
                         [self.archivo.hash, tipo.nombre]).fetchall()[0][0]
        avisos = list(self.archivo.avisos) + avisos
        sufijos = con.execute("SELECT count(*) FROM _sufijos").fetchall()[0][0]
        if sufijos:
            avisos.append(f"{numero(sufijos, 0)} filas son idénticas a otra del archivo y no tienen identificador; "
                          "se guardan como registros distintos.")
        if ya:
            avisos.append(f"Este mismo archivo ya se cargó (carga n.º {ya}); solo se guardaría lo que no esté.")
        return Validacion(
            tipo=tipo.nombre, mapeo={c.nombre: c.destino for c in columnas},
            formatos={c.nombre: c.formato for c in columnas}, escala_auditoria=escala, filas_leidas=leidas,
            filas_nuevas=nuevas, filas_con_errores=con_errores, filas_repetidas=validas - nuevas,
            n_errores=n_errores, errores=errores, errores_por_columna=por_columna, vista_previa=previa,
            avisos=tuple(avisos), desconocidos=self._desconocidos(tipo, columnas), ya_cargado=ya,
        )

    def _desconocidos(self, tipo, columnas: list[Columna]) -> dict[str, tuple[int, tuple[str, ...]]]:
        """Clientes y agentes citados por las filas nuevas que no están en el almacén."""
        resultado = {}
        for k, columna in enumerate(columnas):
            if columna.destino not in _REFERENCIAS or tipo.tabla == _REFERENCIAS[columna.destino][0]:
                continue
            tabla, _ = _REFERENCIAS[columna.destino]
            n, ejemplos = self._con.execute(
                f"SELECT count(DISTINCT v{k}), list(DISTINCT v{k} ORDER BY v{k})[1:5] FROM _a_guardar "
                f"WHERE v{k} IS NOT NULL AND v{k} NOT IN (SELECT {columna.destino} FROM {self._hechos.tabla(tabla)})"
            ).fetchall()[0]
            if n:
                resultado[tabla] = (n, tuple(ejemplos))
        return resultado

    def informe_csv(self) -> bytes:
        """Todos los errores de la última validación como CSV (UTF-8 con BOM, ``;``), listo para Excel.

        Los textos que Excel tomaría por fórmulas (=, +, -, @) llevan un apóstrofo delante.
        """
        self._exigir_validacion()
        return consulta_a_csv(self._con, 'SELECT fila AS "Fila", columna AS "Columna", valor AS "Valor", '
                                         'mensaje AS "Mensaje" FROM _errores ORDER BY fila, columna')

    def lineas_de_informe(self, limite: int = 200) -> list[str]:
        """Los primeros mensajes de error de la última validación, en orden de fila."""
        self._exigir_validacion()
        return [f[0] for f in self._con.execute("SELECT mensaje FROM _errores ORDER BY fila, columna LIMIT ?",
                                                 [limite]).fetchall()]

    # -- guardado --------------------------------------------------------------------

    def guardar(self, validacion: Validacion, *, solo_validas: bool = False, crear_desconocidos: bool = False,
                usuario: str | None = None, origen: str = "página", progreso: Progreso | None = None) -> Resultado:
        """Escribe las filas nuevas y válidas en una transacción y registra la carga.

        Sin ``solo_validas``, cualquier fila con errores deja la carga sin escribir.
        Con ``crear_desconocidos`` se crean fichas mínimas de los clientes y agentes
        citados que no existían (quedan ligadas a esta carga y se deshacen con ella).
        """
        if validacion is not self._validacion:
            raise ValueError("'validacion' debe ser la última validación de esta preparación")
        avisar = progreso or (lambda fraccion, mensaje: None)
        if validacion.hay_errores and not solo_validas:
            return Resultado(None, 0, validacion.filas_repetidas, validacion.filas_con_errores,
                             f"No se guardó nada: {cantidad(validacion.filas_con_errores, 'fila tiene', 'filas tienen')} "
                             "errores. "
                             "Corríjalas o elija importar solo las filas válidas.")
        if validacion.filas_nuevas == 0:
            return Resultado(None, 0, validacion.filas_repetidas, validacion.filas_con_errores,
                             f"No había nada nuevo que guardar: {numero(validacion.filas_repetidas, 0)} filas ya "
                             "estaban guardadas" + (f" y {numero(validacion.filas_con_errores, 0)} tienen errores."
                                                   if validacion.hay_errores else "."))
        tipo = TIPOS[validacion.tipo]
        con, hechos = self._con, self._hechos
        with hechos.bloqueo(con):
            self._preparar_hechos(tipo, self._columnas)
            try:
                with transaccion(con):
                    carga_id = self._registrar(validacion, usuario or usuario_actual(), origen)
                    creados = self._crear_fichas(tipo, carga_id) if crear_desconocidos else {}
                    avisar(0.1, "Guardando…")
                    guardadas = self._insertar(tipo, carga_id, validacion, avisar)
                    hechos.escribir(con, carga_id)
                    con.execute("UPDATE cargas SET filas_guardadas = ?, filas_repetidas = ? WHERE carga_id = ?",
                                [guardadas, validacion.filas_repetidas, carga_id])
                    recordar_mapeo(con, self.archivo.columnas, tipo.nombre, _configuracion(validacion))
                    registrar(con, usuario or usuario_actual(), "carga",
                              f"n.º {carga_id}: {self.archivo.nombre} ({tipo.nombre}, {guardadas} filas)")
                    hechos.registrar_carga(con, tipo.tabla, carga_id)
            except BaseException:
                hechos.descartar()
                raise
            self._validacion = None
            hechos.publicar(con)
        avisar(1.0, "Carga guardada.")
        repetidas = validacion.filas_repetidas
        mensaje = f"Carga n.º {carga_id} guardada: {numero(guardadas, 0)} filas nuevas"
        mensaje += f", {numero(repetidas, 0)} ya estaban guardadas" if repetidas else ""
        mensaje += f" y {numero(validacion.filas_con_errores, 0)} rechazadas por errores." if validacion.hay_errores \
            else "."
        return Resultado(carga_id, guardadas, repetidas, validacion.filas_con_errores, mensaje, creados)

    def _registrar(self, validacion: Validacion, usuario: str, origen: str) -> int:
        """Inserta la fila de ``cargas`` y devuelve su número."""
        return self._con.execute(
            "INSERT INTO cargas (carga_id, tipo, archivo, hash, filas_leidas, filas_rechazadas, mapeo, usuario, "
            "formato, origen) VALUES (nextval('carga_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING carga_id",
            [validacion.tipo, self.archivo.nombre, self.archivo.hash, validacion.filas_leidas,
             validacion.filas_con_errores, json.dumps(_configuracion(validacion), ensure_ascii=False), usuario,
             self.archivo.formato, origen]).fetchall()[0][0]

    def _crear_fichas(self, tipo, carga_id: int) -> dict[str, int]:
        """Crea clientes y agentes mínimos (solo el identificador) para las referencias desconocidas."""
        creados = {}
        for k, columna in enumerate(self._columnas):
            if columna.destino not in _REFERENCIAS or tipo.tabla == _REFERENCIAS[columna.destino][0]:
                continue
            tabla = _REFERENCIAS[columna.destino][0]
            filas = self._con.execute(
                f"INSERT INTO {self._hechos.destino(tabla)} ({columna.destino}, carga_id) SELECT DISTINCT v{k}, ? "
                f"FROM _a_guardar WHERE v{k} IS NOT NULL "
                f"AND v{k} NOT IN (SELECT {columna.destino} FROM {self._hechos.tabla(tabla)})",
                [carga_id]).fetchall()[0][0]
            creados[tabla] = filas
        return creados

    def _insertar(self, tipo, carga_id: int, validacion: Validacion, avisar: Progreso) -> int:
        """Inserta las calificaciones en forma larga (primero) y las filas principales; devuelve cuántas."""
        valores = {"carga": carga_id}
        variables = [(k, c) for k, c in enumerate(self._columnas) if c.destino.startswith(("etapa:", "competencia:"))]
        if variables:
            tabla, clave, nombre, valor = _TABLAS_VARIABLES[tipo.variables]
            valores |= {f"var{k}": c.destino.partition(":")[2] for k, c in variables}
            if tipo.variables == "etapas":
                self._crear_etapas([c.destino.partition(":")[2] for _, c in variables])
            _ejecutar(self._con,
                      f"INSERT INTO {self._hechos.destino(tabla)} ({clave}, {nombre}, {valor}, carga_id) SELECT _id, "
                      f"unnest([{', '.join(f'$var{k}' for k, _ in variables)}]), "
                      f"unnest([{', '.join(f'v{k}' for k, _ in variables)}]), $carga FROM _a_guardar",
                      valores, avisar, (0.1, 0.5), "Guardando calificaciones…")
        campos = {c.destino: f"v{k}" for k, c in enumerate(self._columnas) if ":" not in c.destino}
        campos[tipo.clave] = "_id"
        if tipo.nombre == "auditorias":
            campos["escala"], valores["escala"] = "$escala", validacion.escala_auditoria
        atributos = [(k, c) for k, c in enumerate(self._columnas) if c.destino.startswith("atributo:")]
        if atributos:
            valores |= {f"atr{k}": c.destino.partition(":")[2] for k, c in atributos}
            campos["atributos"] = "json_object(" + ", ".join(f"$atr{k}, v{k}" for k, _ in atributos) + ")"
        _ejecutar(self._con,
                  f"INSERT INTO {self._hechos.destino(tipo.tabla)} ({', '.join(campos)}, carga_id) "
                  f"SELECT {', '.join(campos.values())}, $carga FROM _a_guardar", valores, avisar, (0.5, 0.95),
                  f"Guardando {tipo.etiqueta.lower()}…")
        return self._con.execute(f"SELECT count(*) FROM {self._hechos.destino(tipo.tabla)} WHERE carga_id = ?",
                                 [carga_id]).fetchall()[0][0]

    def _crear_etapas(self, etapas: list[str]) -> None:
        """Añade al final de la cadena las etapas que aún no estén configuradas."""
        for etapa in etapas:
            self._con.execute("INSERT INTO etapas (etapa, orden) SELECT ?, (SELECT coalesce(max(orden), 0) + 1 "
                              "FROM etapas) WHERE NOT EXISTS (SELECT 1 FROM etapas WHERE etapa = ?)", [etapa, etapa])

    def _exigir_validacion(self) -> None:
        """Falla si todavía no se validó (o ya se guardó)."""
        if self._validacion is None:
            raise ValueError("Primero hay que validar el archivo con 'validar'")

    def cerrar(self) -> None:
        """Cierra la conexión propia (borra las tablas temporales) y la copia UTF-8 si la hubo."""
        self._con.close()
        if self._copia and os.path.exists(self._copia):
            os.remove(self._copia)


# ---------------------------------------------------------------------------
# Funciones de módulo
# ---------------------------------------------------------------------------

def cargar_archivo(con: duckdb.DuckDBPyConnection, ruta: str | os.PathLike, tipo: str, *,
                   mapeo: dict[str, str] | None = None, solo_validas: bool = False, crear_desconocidos: bool = False,
                   nombre: str | None = None, origen: str = "línea de órdenes", hoy: date | None = None,
                   progreso: Progreso | None = None, lago: Lago | None = None
                   ) -> tuple[Validacion, Resultado, list[str]]:
    """Prepara, valida y guarda un archivo de una vez (línea de órdenes, cargas programadas, benchmark).

    ``lago``: como en ``Preparacion`` (``None``: las tablas del almacén).

    Returns
    -------
    (validación, resultado, primeras líneas del informe de errores)
    """
    if tipo not in TIPOS:
        raise ValueError(f"'tipo' debe ser uno de {', '.join(TIPOS)}; no {tipo!r}")
    preparacion = Preparacion(con, ruta, nombre=nombre, lago=lago)
    try:
        completo = None
        if mapeo is not None:
            completo = {c: mapeo.get(c, "") for c in preparacion.archivo.columnas}
            desconocidas = [c for c in mapeo if c not in preparacion.archivo.columnas]
            if desconocidas:
                raise MapeoIncompleto(f"El archivo no tiene la(s) columna(s) {', '.join(map(repr, desconocidas))} "
                                      "que nombra el mapeo.")
        validacion = preparacion.validar(tipo, completo, hoy=hoy, progreso=progreso)
        informe = preparacion.lineas_de_informe()
        resultado = preparacion.guardar(validacion, solo_validas=solo_validas, crear_desconocidos=crear_desconocidos,
                                        origen=origen, progreso=progreso)
        return validacion, resultado, informe
    finally:
        preparacion.cerrar()


def deshacer(con: duckdb.DuckDBPyConnection, carga_id: int, *, usuario: str | None = None,
             lago: Lago | None = None) -> dict[str, int]:
    """Borra de todas las tablas las filas de una carga y la marca como deshecha (queda en el historial).

    Con ``lago`` también retira sus filas del lago Parquet (archivos de la carga, o reescritos sin
    ellas si las mezclan con otras), en la misma confirmación.

    Returns
    -------
    dict[str, int]
        Filas borradas por tabla (solo las que tenían alguna; con ``lago``, las retiradas del lago).

    Raises
    ------
    CargaNoEncontrada
        Si la carga no existe o ya estaba deshecha.
    """
    filas = con.execute("SELECT deshecha FROM cargas WHERE carga_id = ?", [int(carga_id)]).fetchall()
    if not filas:
        raise CargaNoEncontrada(f"No existe la carga n.º {carga_id}.")
    if filas[0][0] is not None:
        raise CargaNoEncontrada(f"La carga n.º {carga_id} ya se deshizo el {filas[0][0]:%d/%m/%Y a las %H:%M}.")
    tablas = [f[0] for f in con.execute(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t "
        "ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_catalog = c.table_catalog "
        "WHERE c.column_name = 'carga_id' AND c.table_name <> 'cargas' AND t.table_type = 'BASE TABLE' "
        "AND c.table_catalog = current_database() AND c.table_schema = 'main' ORDER BY 1").fetchall()]
    borradas, hechos = {}, _hechos(lago)
    with hechos.bloqueo(con):
        try:
            with transaccion(con):
                for tabla in tablas:
                    n = con.execute(f'DELETE FROM main."{tabla}" WHERE carga_id = ?', [int(carga_id)]).fetchall()[0][0]
                    if n:
                        borradas[tabla] = n
                if lago is not None:
                    borradas = hechos.retirar(con, int(carga_id))
                con.execute("UPDATE cargas SET deshecha = current_timestamp, deshecha_por = ? WHERE carga_id = ?",
                            [usuario or usuario_actual(), int(carga_id)])
                registrar(con, usuario or usuario_actual(), "deshacer carga",
                          f"n.º {carga_id}: {sum(borradas.values())} filas")
                registrar_escritura(con)
        except BaseException:
            hechos.descartar()
            raise
        hechos.publicar(con)
    return borradas


def historial(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Todas las cargas, de la más reciente a la más antigua, con su estado ('vigente' o 'deshecha')."""
    return con.execute(
        "SELECT carga_id, creada, tipo, archivo, filas_leidas, filas_guardadas, filas_repetidas, "
        "filas_rechazadas, usuario, origen, CASE WHEN deshecha IS NULL THEN 'vigente' ELSE 'deshecha' END AS estado, "
        "deshecha, deshecha_por, es_demo FROM cargas ORDER BY carga_id DESC").df()


def limite_mb(con: duckdb.DuckDBPyConnection) -> float:
    """Tamaño máximo de archivo en MB (``configuracion.limite_carga_mb``, 200 si no está)."""
    filas = con.execute("SELECT valor FROM configuracion WHERE clave = 'limite_carga_mb'").fetchall()
    try:
        return float(filas[0][0]) if filas else _LIMITE_PREDETERMINADO_MB
    except ValueError:
        return _LIMITE_PREDETERMINADO_MB


def usuario_actual() -> str:
    """El usuario del sistema operativo, o 'anónimo' si no se puede saber."""
    try:
        return getpass.getuser() or "anónimo"
    except (KeyError, OSError):
        return "anónimo"


def tabla_de_etiquetas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Escala de etiquetas editable: ``escala``, ``etiqueta`` (normalizada) y ``valor``."""
    return con.execute("SELECT escala, etiqueta, valor FROM escala_etiquetas ORDER BY escala, valor, etiqueta").df()


def guardar_etiquetas(con: duckdb.DuckDBPyConnection, etiquetas: pd.DataFrame) -> int:
    """Reemplaza la escala de etiquetas por ``etiquetas`` (escala, etiqueta, valor); devuelve cuántas quedan.

    Raises
    ------
    ValueError
        Si una escala no existe, una etiqueta está vacía, un valor no es un número o hay repetidas.
    """
    filas = []
    for escala, etiqueta, valor in etiquetas[["escala", "etiqueta", "valor"]].itertuples(index=False):
        if escala not in ESCALAS:
            raise ValueError(f"'etiquetas': la escala {escala!r} no existe ({', '.join(ESCALAS)})")
        texto = normalizar(etiqueta or "")
        if not texto:
            raise ValueError("'etiquetas': hay una etiqueta vacía")
        try:
            cifra = float(valor)
        except (TypeError, ValueError):
            raise ValueError(f"'etiquetas': el valor de «{texto}» no es un número") from None
        if cifra != cifra or cifra in (float("inf"), float("-inf")):
            raise ValueError(f"'etiquetas': el valor de «{texto}» no es un número")
        filas.append((escala, texto, cifra))
    if len({(e, t) for e, t, _ in filas}) != len(filas):
        raise ValueError("'etiquetas': hay etiquetas repetidas en una misma escala")
    with transaccion(con):
        con.execute("DELETE FROM escala_etiquetas")
        if filas:
            con.executemany("INSERT INTO escala_etiquetas VALUES (?, ?, ?)", [list(f) for f in filas])
    return len(filas)


# ---------------------------------------------------------------------------
# Ayudas internas
# ---------------------------------------------------------------------------

class _EnAlmacen:
    """Los datos viven en las tablas del almacén (el modo predeterminado): se comprueba y se inserta
    en ``main`` dentro de la transacción de la carga. ``datos.lago_cargas.EnLago`` es el equivalente
    para un lago Parquet; los métodos que aquí no hacen nada son sus pasos propios."""

    def tabla(self, nombre: str) -> str:
        """SQL de la tabla con las claves guardadas de ``nombre``."""
        return f"main.{nombre}"

    def destino(self, nombre: str) -> str:
        """SQL de la tabla donde se insertan las filas nuevas de ``nombre``."""
        return f"main.{nombre}"

    def bloqueo(self, con: duckdb.DuckDBPyConnection) -> AbstractContextManager:
        """Nada que excluir: la transacción de DuckDB basta."""
        return nullcontext()

    def preparar(self, con, claves, destinos) -> None:
        """Nada que copiar: las comprobaciones leen ``main`` directamente."""

    def escribir(self, con, carga_id) -> None:
        """Nada más que escribir: las filas ya se insertaron en ``main``."""

    def registrar_carga(self, con: duckdb.DuckDBPyConnection, tabla: str, carga_id: int) -> None:
        """Recalcula ``fcr`` en los grupos que toca la carga y sube la versión de los datos."""
        registrar_carga(con, tabla, carga_id)

    def descartar(self) -> None:
        """Nada que borrar: ``ROLLBACK`` basta."""

    def publicar(self, con) -> None:
        """Nada que publicar: ``COMMIT`` basta."""


def _hechos(lago: Lago | None) -> "_EnAlmacen | EnLago":
    """Dónde se comprueban y escriben las filas: el almacén o el lago."""
    return _EnAlmacen() if lago is None else EnLago(lago)


def _reglas(tipo, columnas: list[Columna]) -> list[tuple[str, str, str]]:
    """Reglas de fila: (condición de validez SQL, columna del informe, texto SQL del error)."""
    vacio = "({0} IS NULL OR list_contains($vacios, lower(trim({0}))))"
    reglas = []
    indice = {c.destino: k for k, c in enumerate(columnas)}
    for obligatorio in tipo.obligatorios:
        k = indice[obligatorio]
        reglas.append((f"NOT {vacio.format(f'r{k}')}", columnas[k].nombre,
                       f"'falta el dato obligatorio «{tipo.campo(obligatorio).etiqueta}»'"))
    notas = [k for k, c in enumerate(columnas) if c.destino in ("csat", "nps", "ces")
             or c.destino.startswith(("etapa:", "competencia:"))]
    if tipo.variables in ("etapas", "competencias") and notas:
        que = "CSAT, NPS, CES ni etapas" if tipo.variables == "etapas" else "ninguna competencia"
        reglas.append(("NOT (" + " AND ".join(vacio.format(f"r{k}") for k in notas) + ")", None,
                       f"'la fila no tiene ninguna calificación ({que})'"))
    if "fecha_inicio" in indice and "fecha_fin" in indice:
        i, f = indice["fecha_inicio"], indice["fecha_fin"]
        reglas.append((f"(v{f} IS NULL OR v{i} IS NULL OR v{f} >= v{i})", columnas[f].nombre,
                       "'la fecha de fin es anterior a la de inicio'"))
    return reglas


def _sql_clave(tipo, columnas: list[Columna]) -> str:
    """SQL de ``_clave`` (la natural o una huella del contenido) y ``_generada``."""
    k = next((k for k, c in enumerate(columnas) if c.destino == tipo.clave), None)
    contenido = "concat_ws(chr(31), " + ", ".join(f"coalesce(r{j}, chr(30))" for j in range(len(columnas))) + ")"
    generada = f"'{_PREFIJO_GENERADO.get(tipo.nombre, 'id-')}' || left(md5({contenido}), 16)"
    if k is None:
        return f"{generada} AS _clave, true AS _generada"
    return f"coalesce(v{k}, {generada}) AS _clave, v{k} IS NULL AS _generada"


def _escala_auditoria(con: duckdb.DuckDBPyConnection, columnas: list[Columna]) -> str:
    """'cumple' si las competencias usan Sí/No o Cumple; '0-100' si hay notas mayores que 10; si no '1-5'."""
    competencias = [c for c in columnas if c.destino.startswith("competencia:")]
    if any(c.formato.escala in ("cumple", "si_no") for c in competencias):
        return "cumple"
    maximos = [con.execute(f"SELECT max(try_cast(replace(trim(c{c.indice}), ',', '.') AS DOUBLE)) FROM _muestra"
                           ).fetchall()[0][0] for c in competencias]
    return "0-100" if any(m is not None and m > 10 for m in maximos) else "1-5"


def _configuracion(validacion: Validacion) -> dict:
    """Mapeo, formatos y escala usados, para ``cargas.mapeo`` y ``mapeos``."""
    return {"columnas": validacion.mapeo,
            "formatos": {c: f.__dict__ for c, f in validacion.formatos.items()},
            "escala_auditoria": validacion.escala_auditoria}


def _ejecutar(con: duckdb.DuckDBPyConnection, sql: str, parametros: dict, avisar: Progreso | None,
              tramo: tuple[float, float] = (0.0, 1.0), mensaje: str = "") -> None:
    """Ejecuta una sentencia larga; si hay ``avisar``, informa su avance (``query_progress``) en ``tramo``."""
    usados = set(re.findall(r"\$(\w+)", sql))
    parametros = {k: v for k, v in parametros.items() if k in usados}
    if avisar is None:
        con.execute(sql, parametros).fetchall()
        return
    resultado: dict[str, BaseException] = {}

    def trabajar():
        try:
            con.execute(sql, parametros).fetchall()
        except BaseException as error:  # noqa: BLE001 - se vuelve a lanzar en el hilo que llama
            resultado["error"] = error

    hilo = threading.Thread(target=trabajar, daemon=True)
    hilo.start()
    desde, hasta = tramo
    while hilo.is_alive():
        hilo.join(0.2)
        avance = con.query_progress() if hilo.is_alive() else 100.0
        if avance >= 0:
            avisar(desde + (hasta - desde) * min(avance, 100.0) / 100.0, mensaje)
    if "error" in resultado:
        raise resultado["error"]


