"""Motor de carga de archivos: preparar, validar y guardar en una transacción.

Flujo (la página «Cargar datos», ``python -m datos.cargar`` y el benchmark usan lo mismo)::

    preparacion = Preparacion(con, "encuestas.csv")          # lee cabecera, codificación, dialecto
    mapeo = preparacion.proponer("encuestas")                # recordado o automático
    validacion = preparacion.validar("encuestas", mapeo)     # todo el archivo, en SQL, sin escribir nada
    resultado = preparacion.guardar(validacion, solo_validas=True)
    historial.deshacer(con, resultado.carga_id)             # datos.ingesta.historial

``Preparacion`` trabaja en una conexión propia (un cursor del almacén) cuyas
tablas temporales guardan el archivo convertido entre pasos; nada toca las
tablas del almacén hasta ``guardar``, que escribe todas las filas de la carga
en una sola transacción (o ninguna) y la registra en ``cargas``. Las piezas viven al lado:
``sentencias`` (reglas de fila y clave), ``informe`` (errores y ``Validacion``), ``escritura``
(inserciones), ``hechos`` (almacén o lago) e ``historial`` (historial y deshacer).

Idempotencia: cada fila tiene una clave natural (``respuesta_id``,
``interaccion_id``, ``auditoria_id``, ``cliente_id``, ``agente_id``); si el
archivo no la trae se deriva del contenido de la fila (huella MD5, con un
ordinal para filas idénticas), así que volver a subir el mismo archivo, o una
exportación que lo contiene, no guarda nada repetido. Además se avisa si un
archivo con la misma huella SHA-256 ya se cargó.

Dónde viven los datos: por defecto en las tablas del almacén. Con ``lago`` (el modo Spark sobre
un lago Parquet, ``datos.motores.lago_cargas``) las comprobaciones contra lo guardado leen el lago y las
filas se escriben en él como archivos de la carga; el registro de cargas sigue en el almacén.
"""

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from analisis.errores import ArchivoIlegible, MapeoIncompleto
from analisis.formato import cantidad, fecha, numero
from datos.almacen.transaccion import transaccion
from datos.cuentas.usuarios import registrar
from datos.ingesta import informe
from datos.ingesta.archivos import Subida
from datos.ingesta.escalas import escalas_configuradas
from datos.ingesta.escritura import TABLAS_VARIABLES, crear_fichas, insertar
from datos.ingesta.hechos import hechos_de, referencias
from datos.ingesta.historial import usuario_actual
from datos.ingesta.informe import Validacion
from datos.ingesta.lectura import MAX_LINEA_MUESTRA, Archivo, fuente, inspeccionar
from datos.ingesta.mapeo import (TIPOS, etapas_y_competencias, mapeo_recordado, opciones_de_destino, proponer,
                                 recordar_mapeo, revisar_mapeo, sugerir_tipo)
from datos.ingesta.sentencias import Progreso, detectar_escala_auditoria, ejecutar, guardado, reglas_de_fila, sql_clave
from datos.ingesta.validacion import (RANGOS_AUDITORIA, Columna, Formato, columnas_a_validar, detectar_formatos,
                                      etiquetas_frecuentes, etiquetas_por_escala, parametros, sql_a_comun,
                                      sql_tipada)
from datos.motores.lago_cargas import Lago

__all__ = ["Preparacion", "Resultado", "cargar_archivo", "limite_mb"]

_LIMITE_PREDETERMINADO_MB = 200.0
_FILAS_MUESTRA = 5_000


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
    lago : el lago Parquet donde viven los datos (``datos.motores.lago_cargas.lago_de_cargas()``); ``None``
        (por defecto) para las tablas del almacén.
    carpeta : dónde dejar la copia UTF-8 de un CSV que la necesite (por defecto la temporal del sistema).

    Un archivo subido desde la página se abre con ``Preparacion.de_subida``, que borra su copia siempre.

    Raises
    ------
    ArchivoIlegible, ArchivoDemasiadoGrande
        Si el archivo no se puede leer o supera el límite de ``configuracion``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, ruta: str | os.PathLike, *, nombre: str | None = None,
                 hoja: str | None = None, lago: Lago | None = None, carpeta: str | os.PathLike | None = None):
        self._subida: Subida | None = None
        self.archivo: Archivo = inspeccionar(ruta, nombre=nombre, limite_mb=limite_mb(con), hoja=hoja,
                                             carpeta=None if carpeta is None else str(carpeta))
        self._copia = self.archivo.ruta if os.path.abspath(self.archivo.ruta) != os.path.abspath(ruta) else None
        self._con = con.cursor()
        self._hechos = hechos_de(lago)
        self._con.execute("SET enable_progress_bar = true")
        self._con.execute("SET enable_progress_bar_print = false")
        try:
            self._origen, self._parametros_origen = fuente(self._con, self.archivo)
            self._crear_muestra()
        except BaseException:
            self.cerrar()
            raise
        self._validacion: Validacion | None = None
        self._columnas: list[Columna] = []

    @classmethod
    def de_subida(cls, con: duckdb.DuckDBPyConnection, contenido: bytes | memoryview, nombre: str, *,
                  lago: Lago | None = None) -> "Preparacion":
        """La preparación de un archivo subido (``contenido``), copiado en una ``Subida`` que es suya.

        La copia (y la de UTF-8, si hace falta) se borra al cerrar la preparación, si esta no se
        puede abrir (p. ej. ``ArchivoIlegible``) o cuando se libera sin cerrarla (sesión abandonada).
        """
        subida = Subida(contenido, nombre)
        try:
            preparacion = cls(con, subida.ruta, nombre=nombre, lago=lago, carpeta=subida.carpeta)
        except BaseException:
            subida.borrar()
            raise
        preparacion._subida = subida
        return preparacion

    def __enter__(self) -> "Preparacion":
        return self

    def __exit__(self, *excepcion) -> None:
        self.cerrar()

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
                ejecutar(self._con, sql, {**self._parametros_origen, **(parametros or {})}, avisar, tramo, mensaje)
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
        etapas, competencias = etapas_y_competencias(self._con)
        explicito = revisar_mapeo(tipo, mapeo, self.archivo.columnas, competencias=competencias, etapas=etapas)
        escalas = etiquetas_por_escala(self._con)
        medidas = escalas_configuradas(self._con)
        provisionales = columnas_a_validar(TIPOS[tipo], explicito, self.archivo.columnas, competencias=competencias,
                                           escalas=medidas)
        decimal = "." if self.archivo.delimitador == "," or self.archivo.formato != "csv" else ","
        detectadas, avisos = detectar_formatos(self._con, "_muestra", provisionales, decimal_del_archivo=decimal,
                                               escalas=escalas)
        escala = None
        if TIPOS[tipo].variables == "competencias":
            escala = escala_auditoria or detectar_escala_auditoria(self._con, detectadas)
            if escala not in RANGOS_AUDITORIA:
                raise ValueError(f"'escala_auditoria' debe ser una de {', '.join(RANGOS_AUDITORIA)}")
            detectadas = [Columna(c.indice, c.nombre, c.destino, c2.campo, c.formato) for c, c2 in zip(
                detectadas, columnas_a_validar(TIPOS[tipo], explicito, self.archivo.columnas,
                                               escala_auditoria=escala, competencias=competencias, escalas=medidas))]
        return detectadas, escala, avisos + self._avisos_de_mapeo(TIPOS[tipo], explicito)

    def _avisos_de_mapeo(self, tipo, explicito: dict[str, str]) -> list[str]:
        """Avisos del mapeo de una encuesta: columnas que no se guardan (¿etapas fuera de la cadena?) y
        la fecha de la carga, si el archivo no trae la de cada respuesta."""
        avisos = []
        ignoradas = [c for c in self.archivo.columnas if c not in explicito and c.strip()]
        if tipo.variables == "etapas" and ignoradas:
            avisos.append(f"Estas columnas no se guardan (no son un campo ni una etapa de la cadena configurada): "
                          f"{', '.join(f'«{c}»' for c in ignoradas)}. Si alguna es una etapa, añádala a la cadena "
                          "en «Configuración de la organización» o elija «Etapa nueva» en el mapeo.")
        if tipo.fecha_de_carga and tipo.fecha_de_carga not in explicito.values():
            avisos.append(f"El archivo no trae «{tipo.campo(tipo.fecha_de_carga).etiqueta}»: cada fila se guarda "
                          f"con la fecha de la carga ({fecha(date.today())}).")
        return avisos

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
        reglas = reglas_de_fila(definicion, columnas)
        valores |= {f"regla{i}": columna for i, (_, columna, _) in enumerate(reglas)}
        self._crear_tipada(definicion, columnas, reglas, valores, avisar)
        self._columnas = columnas
        avisar(0.75, "Buscando errores y duplicados…")
        self._crear_errores(columnas, reglas, valores, definicion)
        avisar(0.9, "Comparando con lo ya guardado…")
        self._validacion = informe.resumir(self._con, self.archivo, definicion, columnas, escala, avisos,
                                           self._hechos)
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
        clave = sql_clave(tipo, columnas)
        reemplazos, marcas = sql_a_comun(columnas)
        reemplazos = [f"CASE WHEN _valida THEN NULL ELSE r{k} END AS r{k}" for k in range(len(columnas))] + reemplazos
        self._leer(f"CREATE OR REPLACE TEMP TABLE _tipada AS SELECT * REPLACE ({', '.join(reemplazos)}), "
                   f"{', '.join([clave] + marcas)} FROM ({seleccion})", valores,
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
        """Crea ``_errores`` (``informe.crear_errores``) y las vistas de lo que se guardaría."""
        informe.crear_errores(self._con, tipo, columnas, reglas, valores, self._fila)
        self._con.execute(
            "CREATE OR REPLACE TEMP VIEW _con_clave AS SELECT t.rowid AS _r, t.*, CASE WHEN s.n IS NULL THEN "
            "t._clave ELSE t._clave || '-' || s.n END AS _id FROM _tipada t LEFT JOIN _sufijos s ON s._r = t.rowid")
        self._preparar_hechos(tipo, columnas)
        self._fijar_a_guardar(tipo)

    def _fijar_a_guardar(self, tipo) -> None:
        """Deja en la vista ``_a_guardar`` las filas válidas, no repetidas en el archivo y aún no guardadas.

        Cuáles del archivo ya están guardadas se fija en la tabla ``_ya_guardadas`` (pocas, de ordinario):
        comparar cada lectura de la vista con todo lo guardado costaba ~0,4 s por lectura con 10 millones de
        filas, y el informe y el guardado la leen seis veces. Se fija al validar y otra vez al guardar,
        dentro de su transacción, por si otra carga guardó filas entretanto.
        """
        self._con.execute(f"CREATE OR REPLACE TEMP TABLE _ya_guardadas AS SELECT _id FROM _con_clave "
                          f"WHERE {guardado('_id', tipo.clave, self._hechos.tabla(tipo.tabla))}")
        self._con.execute("CREATE OR REPLACE TEMP VIEW _a_guardar AS SELECT * FROM _con_clave WHERE _valida "
                          "AND _r NOT IN (SELECT _r FROM _duplicadas) AND _id NOT IN (SELECT _id FROM _ya_guardadas)")

    def _preparar_hechos(self, tipo, columnas: list[Columna]) -> None:
        """Deja listas las claves guardadas que se comparan y las tablas donde se insertaría.

        Las claves son la natural del tipo (``_id``) y los clientes y agentes citados; los destinos,
        esas tablas y la de calificaciones en forma larga.
        """
        claves = [(tipo.tabla, tipo.clave, "SELECT _id FROM _con_clave")]
        claves += [(tabla, c.destino, f"SELECT v{k} FROM _tipada") for k, c, tabla in referencias(tipo, columnas)]
        variables = (TABLAS_VARIABLES[tipo.variables][0],) if tipo.variables in TABLAS_VARIABLES else ()
        self._hechos.preparar(self._con, claves, tuple(dict.fromkeys(t for t, _, _ in claves)) + variables)

    def informe_csv(self) -> bytes:
        """Todos los errores de la última validación como CSV (UTF-8 con BOM, ``;``), listo para Excel.

        Los textos que Excel tomaría por fórmulas (=, +, -, @) llevan un apóstrofo delante.
        """
        self._exigir_validacion()
        return informe.informe_csv(self._con)

    def lineas_de_informe(self, limite: int = 200) -> list[str]:
        """Los primeros mensajes de error de la última validación, en orden de fila."""
        self._exigir_validacion()
        return informe.lineas_de_informe(self._con, limite)

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
                    self._fijar_a_guardar(tipo)
                    carga_id = self._registrar(validacion, usuario or usuario_actual(), origen)
                    creados = crear_fichas(con, hechos, tipo, self._columnas, carga_id) \
                        if crear_desconocidos else {}
                    avisar(0.1, "Guardando…")
                    guardadas = insertar(con, hechos, tipo, self._columnas, carga_id, validacion.escala_auditoria,
                                         avisar)
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

    def _exigir_validacion(self) -> None:
        """Falla si todavía no se validó (o ya se guardó)."""
        if self._validacion is None:
            raise ValueError("Primero hay que validar el archivo con 'validar'")

    def cerrar(self) -> None:
        """Cierra la conexión propia (borra las tablas temporales), la copia UTF-8 si la hubo y la subida si es suya."""
        self._con.close()
        if self._copia and os.path.exists(self._copia):
            os.remove(self._copia)
        if self._subida is not None:
            self._subida.borrar()


# ---------------------------------------------------------------------------
# Funciones de módulo
# ---------------------------------------------------------------------------

def cargar_archivo(con: duckdb.DuckDBPyConnection, ruta: str | os.PathLike, tipo: str, *,
                   mapeo: dict[str, str] | None = None, solo_validas: bool = False, crear_desconocidos: bool = False,
                   nombre: str | None = None, origen: str = "línea de órdenes", usuario: str | None = None,
                   hoy: date | None = None, progreso: Progreso | None = None, lago: Lago | None = None
                   ) -> tuple[Validacion, Resultado, list[str]]:
    """Prepara, valida y guarda un archivo de una vez (línea de órdenes, cargas programadas, benchmark).

    ``lago``: como en ``Preparacion`` (``None``: las tablas del almacén). ``usuario`` y ``origen``
    quedan en el historial (por omisión el usuario del sistema y «línea de órdenes»).

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
                                        usuario=usuario, origen=origen, progreso=progreso)
        return validacion, resultado, informe
    finally:
        preparacion.cerrar()


def limite_mb(con: duckdb.DuckDBPyConnection) -> float:
    """Tamaño máximo de archivo en MB (``configuracion.limite_carga_mb``, 200 si no está)."""
    filas = con.execute("SELECT valor FROM configuracion WHERE clave = 'limite_carga_mb'").fetchall()
    try:
        return float(filas[0][0]) if filas else _LIMITE_PREDETERMINADO_MB
    except ValueError:
        return _LIMITE_PREDETERMINADO_MB


# ---------------------------------------------------------------------------
# Ayudas internas
# ---------------------------------------------------------------------------

def _configuracion(validacion: Validacion) -> dict:
    """Mapeo, formatos y escala usados, para ``cargas.mapeo`` y ``mapeos``."""
    return {"columnas": validacion.mapeo,
            "formatos": {c: f.__dict__ for c, f in validacion.formatos.items()},
            "escala_auditoria": validacion.escala_auditoria}
