"""Motor de las consultas de lectura: DuckDB (por defecto), Spark u otro backend de Ibis.

Las consultas de ``datos.consultas`` son expresiones Ibis; este módulo elige el
motor que las ejecuta según el entorno:

- ``ESLABON_MOTOR`` (por defecto ``duckdb``): ``duckdb``, ``pyspark`` o el nombre de
  otro backend de Ibis (``trino``, ``bigquery``, ``snowflake``, ``postgres``…).
- ``ESLABON_SPARK``: con ``pyspark``, la URL del maestro de un clúster
  (``spark://host:7077``, ``yarn``, ``k8s://…``) o de Spark Connect (``sc://host:15002``).
  Sin ella, Spark corre en modo local en esta máquina (``local[2]``).
- ``ESLABON_LAGO``: con ``pyspark``, la carpeta (o URI ``s3a://``, ``abfss://``…) del lago
  Parquet que escribe ``python -m datos.lago``; cada tabla canónica se registra como vista
  temporal con su nombre.
- ``ESLABON_CATALOGO`` y ``ESLABON_ESQUEMA``: dónde están las tablas si ya viven en un
  lakehouse o en un almacén de datos (en vez de ``ESLABON_LAGO``).
- ``ESLABON_PREFIJO`` y ``ESLABON_TABLAS``: cómo se llaman allí las tablas canónicas:
  un prefijo común (``eslabon_``) y/o pares ``canonica=real`` separados por comas
  (``interacciones=contactos_crm,encuestas=nps_respuestas``).
- ``ESLABON_MOTOR_URL``: para cualquier otro backend, la URL de ``ibis.connect``
  (``trino://usuario@host:8080/catalogo/esquema``, ``bigquery://proyecto/dataset``…).

Los datos de servicio (``TABLAS_HECHOS``) se leen del motor. Las tablas que la aplicación
escribe (configuración, metas, etapas, competencias, cuentas…) siguen en el almacén DuckDB
de ``ESLABON_DB``: una consulta que solo lee esas tablas corre en DuckDB, y con Spark las
pequeñas tablas de configuración que las consultas cruzan con los hechos
(``TABLAS_CONFIGURACION``) se copian como vistas temporales cada vez que cambia la versión
de los datos. Con un lago en una carpeta, las cargas de archivos escriben sus filas en el lago
(``datos.motores.lago_cargas``); cada escritura sube la versión de los datos y el motor vuelve a
registrar las vistas con un listado nuevo de los archivos.
"""

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import ibis
import ibis.expr.operations as ops
import pandas as pd
from ibis.expr.types import Table

from datos.almacen import agregados
from datos.almacen.conexion import Almacen
from datos.almacen.derivados import fcr_en_spark
from datos.motores.configuracion import COLUMNAS_PARTICION, TABLAS_CONFIGURACION, TABLAS_HECHOS, Configuracion
from datos.motores.lago_cargas import Lago, recuperar
from datos.motores.plantillas import de_almacen

__all__ = ["Motor", "sesion_spark", "tablas_leidas"]

#: Ajustes de Spark en modo local: pocas particiones al barajar (los datos de una máquina
#: caben en pocas), sin interfaz web y con fechas sin zona horaria interpretadas en UTC.
_AJUSTES_SPARK_LOCAL = {
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "2g",
    "spark.sql.warehouse.dir": str(Path(tempfile.gettempdir()) / "eslabon-spark-warehouse"),
}


def sesion_spark(maestro: str | None = None):
    """La sesión Spark del proceso (la crea la primera vez).

    ``maestro``: None para modo local (``local[2]``, pocas particiones, sin interfaz web,
    registro solo de errores), una URL de maestro (``spark://…``, ``yarn``, ``k8s://…``) o
    una dirección de Spark Connect (``sc://…``, que necesita ``pyspark[connect]``).
    """
    from pyspark.sql import SparkSession

    if maestro and maestro.startswith("sc://"):
        return SparkSession.builder.remote(maestro).getOrCreate()
    constructor = SparkSession.builder.master(maestro or "local[2]").appName("Eslabón")
    for clave, valor in (_AJUSTES_SPARK_LOCAL if not maestro else {"spark.sql.session.timeZone": "UTC"}).items():
        constructor = constructor.config(clave, valor)
    sesion = constructor.getOrCreate()
    sesion.sparkContext.setLogLevel("ERROR")
    return sesion


#: Tablas de DuckDB cuya lectura es la de datos de servicio: los hechos y sus agregados. En otro motor la
#: consulta corre allí (donde ``agregados.vigentes`` es falso y lee las filas), nunca sobre los agregados
#: de un almacén cuyos hechos están en el lago.
_LEEN_DATOS = frozenset(TABLAS_HECHOS) | frozenset(agregados.TABLAS)


def tablas_leidas(expresion: Table) -> frozenset[str]:
    """Nombres de las tablas de la base que lee una expresión Ibis."""
    return frozenset(nodo.name for nodo in expresion.op().find(ops.DatabaseTable))


class _TablasRenombradas:
    """Backend de Ibis que entrega cada tabla canónica con su nombre, catálogo y esquema reales.

    Las consultas solo usan ``con.table(nombre)``; este envoltorio traduce ese nombre.
    """

    def __init__(self, backend: ibis.BaseBackend, configuracion: Configuracion):
        self._backend, self._configuracion = backend, configuracion
        partes = tuple(filter(None, (configuracion.catalogo, configuracion.esquema)))
        self._base = partes if len(partes) > 1 else (partes[0] if partes else None)

    @property
    def name(self) -> str:
        """Nombre del backend envuelto (``trino``, ``postgres``…), como el ``name`` de un backend Ibis."""
        return self._backend.name

    def table(self, nombre: str) -> Table:
        """La tabla canónica ``nombre`` tal como está en el motor."""
        return self._backend.table(self._configuracion.nombre_de(nombre), database=self._base)


class Motor:
    """El motor de lectura configurado para un almacén: un backend Ibis por hilo.

    Con DuckDB es exactamente ``almacen.ibis()``. Con Spark, una sesión por proceso en la
    que las tablas de hechos son vistas temporales (del lago o del catálogo) y cada hilo
    tiene su backend Ibis. Con otro motor, ``ibis.connect(url)`` por hilo.

    Parameters
    ----------
    almacen : Almacen
        El almacén DuckDB de la aplicación (escrituras, configuración, cuentas).
    configuracion : Configuracion, optional
        Por defecto ``Configuracion.del_entorno()``.
    """

    def __init__(self, almacen: Almacen, configuracion: Configuracion | None = None):
        self.almacen = almacen
        self.configuracion = configuracion or Configuracion.del_entorno()
        self._local = threading.local()
        self._candado = threading.Lock()
        self._version_copiada: int | None = None
        self._sesion = None
        self._lago = None
        self._persistidas = []
        self._plantillas = de_almacen(almacen.ruta)
        if self.configuracion.motor == "pyspark":
            self._sesion = sesion_spark(self.configuracion.spark)
            self._recuperar_cargas()
            self._registrar_hechos()

    @property
    def nombre(self) -> str:
        """Nombre del motor de lectura (``duckdb``, ``pyspark``, ``trino``…)."""
        return self.configuracion.motor

    def _recuperar_cargas(self) -> None:
        """Con un lago en una carpeta, completa las cargas confirmadas que quedaron sin publicar."""
        self._lago = Lago.local(self.configuracion)
        if self._lago is not None:
            recuperar(self.almacen.cursor(), self._lago)

    def _registrar_hechos(self) -> None:
        """Registra cada tabla de hechos como vista temporal de Spark con su nombre canónico.

        Cada registro lee de nuevo el lago (ve los archivos que hayan escrito las cargas) y
        libera la caché de ``interacciones`` del registro anterior.
        """
        for anterior in self._persistidas:
            anterior.unpersist()
        self._persistidas = []
        for tabla in TABLAS_HECHOS:
            self._tabla_spark(tabla).createOrReplaceTempView(tabla)

    def _tabla_spark(self, tabla: str):
        """DataFrame de Spark de la tabla canónica: del lago (sin columnas de partición) o del catálogo."""
        configuracion = self.configuracion
        if not configuracion.lago:
            return self._sesion.table(configuracion.nombre_completo(tabla))
        ruta = f"{configuracion.lago.rstrip('/')}/{configuracion.nombre_de(tabla)}"
        if "://" not in ruta and not Path(ruta).exists():
            raise ValueError(f"El lago {configuracion.lago} no tiene la tabla {tabla}: "
                             "expórtelo con python -m datos.lago")
        datos = self._sesion.read.parquet(ruta)
        datos = datos.drop(*[c for c in COLUMNAS_PARTICION if c in datos.columns])
        if tabla == "interacciones" and self._fcr_al_leer():
            datos = fcr_en_spark(datos).persist()
            self._persistidas.append(datos)
        return datos

    def _fcr_al_leer(self) -> bool:
        """True si las cargas escribieron interacciones en el lago: su ``fcr`` guardado ya no vale."""
        return self._lago is not None and self._lago.escrita_por_cargas("interacciones")

    def _copiar_configuracion(self) -> None:
        """Con Spark, si cambió la versión de los datos, copia las tablas de configuración de DuckDB y
        vuelve a registrar las de hechos (una carga pudo escribir archivos en el lago)."""
        version = self.almacen.version_datos()
        with self._candado:
            if version == self._version_copiada:
                return
            self._registrar_hechos()
            for tabla in TABLAS_CONFIGURACION:
                datos = self.almacen.cursor().table(tabla).to_arrow_table()
                self._sesion.createDataFrame(datos).createOrReplaceTempView(tabla)
            self._version_copiada = version

    def backend(self) -> ibis.BaseBackend:
        """El backend Ibis de lectura del hilo que llama (DuckDB: el de ``almacen.ibis()``)."""
        if self.nombre == "duckdb":
            return self.almacen.ibis()
        if self.nombre == "pyspark":
            self._copiar_configuracion()
        backend = getattr(self._local, "backend", None)
        if backend is None:
            backend = self._local.backend = self._conectar()
        return backend

    def _conectar(self) -> ibis.BaseBackend:
        """Un backend Ibis nuevo sobre el motor configurado."""
        if self.nombre == "pyspark":
            return ibis.pyspark.connect(self._sesion)
        return _TablasRenombradas(ibis.connect(self.configuracion.url), self.configuracion)

    def consultar(self, funcion: Callable[..., Table], *argumentos, version: int | None = None) -> pd.DataFrame:
        """Ejecuta la consulta ``funcion(con, *argumentos)`` y trae su resultado a pandas.

        Corre en el motor configurado si lee alguna tabla de hechos; si solo lee tablas de la
        aplicación (metas, cuentas, configuración…), en DuckDB, donde esas tablas se escriben.
        Con ``version`` (la versión de los datos que ve quien pregunta) y DuckDB, el SQL de la forma de
        los argumentos se compila una vez por versión (``datos.motores.plantillas``); sin ella (tablas
        que cambian sin cambiar la versión, como las cuentas), se compila en cada llamada.
        """
        if version is not None and self.nombre == "duckdb":
            return self._plantillas.consultar(self.almacen.ibis(), funcion, argumentos, version=version)
        local = funcion(self.almacen.ibis(), *argumentos)
        if self.nombre == "duckdb" or not tablas_leidas(local) & _LEEN_DATOS:
            return local.to_pandas()
        return funcion(self.backend(), *argumentos).to_pandas()

    def cerrar(self) -> None:
        """Detiene la sesión Spark (si la hay); el almacén DuckDB sigue abierto."""
        if self._sesion is not None:
            self._sesion.stop()
