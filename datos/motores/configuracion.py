"""Qué motor lee los datos y dónde: la configuración ``ESLABON_*`` y las tablas que se leen de él.

Ver ``datos.motores.motor`` para el significado de cada variable. Este módulo no importa
nada de ``datos``: lo comparten el motor, el lago y las cargas en el lago.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["MOTOR_PREDETERMINADO", "TABLAS_HECHOS", "TABLAS_CONFIGURACION", "COLUMNAS_PARTICION", "PARTICIONES",
           "Configuracion"]

#: Motor de lectura si ``ESLABON_MOTOR`` no está definida.
MOTOR_PREDETERMINADO = "duckdb"

#: Tablas de datos de servicio: con otro motor se leen de él (del lago o del catálogo).
TABLAS_HECHOS = ("interacciones", "encuestas", "encuesta_etapas", "auditorias", "auditoria_competencias",
                 "auditoria_errores_criticos", "clientes", "agentes")

#: Tablas pequeñas que la aplicación mantiene en DuckDB y que las consultas cruzan con los
#: hechos; con Spark se copian al motor como vistas temporales.
TABLAS_CONFIGURACION = ("configuracion", "metas", "metas_por_fecha", "etapas", "competencias", "temas_capacitacion",
                        "escala_etiquetas")

#: Columnas del lago que solo sirven para particionar (año y mes del dato); no son del modelo.
COLUMNAS_PARTICION = ("anio", "mes")

def _pares(texto: str, variable: str) -> tuple[tuple[str, str], ...]:
    """Convierte ``'a=b,c=d'`` en ``(('a', 'b'), ('c', 'd'))``; falla con un mensaje que nombra la variable."""
    pares = []
    for trozo in filter(None, (parte.strip() for parte in texto.split(","))):
        canonica, igual, real = (parte.strip() for parte in trozo.partition("="))
        if not igual or not canonica or not real:
            raise ValueError(f"{variable} debe tener pares tabla=nombre separados por comas, no {trozo!r}")
        pares.append((canonica, real))
    return tuple(pares)


@dataclass(frozen=True)
class Configuracion:
    """Dónde y cómo leer los datos (ver el docstring del módulo para cada campo).

    >>> Configuracion(motor="pyspark", lago="/lago", prefijo="es_").nombre_de("encuestas")
    'es_encuestas'
    >>> Configuracion(tablas=(("encuestas", "nps"),)).nombre_de("encuestas")
    'nps'
    """

    motor: str = MOTOR_PREDETERMINADO
    spark: str | None = None
    lago: str | None = None
    url: str | None = None
    catalogo: str | None = None
    esquema: str | None = None
    prefijo: str = ""
    tablas: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        if self.motor == "pyspark" and not (self.lago or self.esquema):
            raise ValueError("Con ESLABON_MOTOR=pyspark hay que indicar ESLABON_LAGO (carpeta del lago Parquet) "
                             "o ESLABON_ESQUEMA (y ESLABON_CATALOGO) donde están las tablas")
        if self.motor not in ("duckdb", "pyspark") and not self.url:
            raise ValueError(f"Con ESLABON_MOTOR={self.motor} hay que indicar ESLABON_MOTOR_URL "
                             "(la URL de conexión de Ibis)")

    @classmethod
    def del_entorno(cls, entorno: Mapping[str, str] | None = None) -> "Configuracion":
        """Lee las variables ``ESLABON_*`` de ``entorno`` (por defecto ``os.environ``)."""
        entorno = os.environ if entorno is None else entorno

        def valor(nombre: str) -> str | None:
            """El valor de la variable; vacía cuenta como no definida."""
            return entorno.get(nombre) or None

        return cls(motor=(valor("ESLABON_MOTOR") or MOTOR_PREDETERMINADO).strip().lower(),
                   spark=valor("ESLABON_SPARK"), lago=valor("ESLABON_LAGO"), url=valor("ESLABON_MOTOR_URL"),
                   catalogo=valor("ESLABON_CATALOGO"), esquema=valor("ESLABON_ESQUEMA"),
                   prefijo=entorno.get("ESLABON_PREFIJO", ""),
                   tablas=_pares(entorno.get("ESLABON_TABLAS", ""), "ESLABON_TABLAS"))

    def nombre_de(self, tabla: str) -> str:
        """Nombre real de la tabla canónica ``tabla`` en el motor (o de su carpeta en el lago)."""
        return dict(self.tablas).get(tabla, self.prefijo + tabla)

    def nombre_completo(self, tabla: str) -> str:
        """``catalogo.esquema.nombre`` (las partes que estén definidas) de la tabla canónica."""
        return ".".join(filter(None, (self.catalogo, self.esquema, self.nombre_de(tabla))))

#: Tablas particionadas por año y mes, y la columna de fecha de la que salen.
PARTICIONES = {"interacciones": "fecha_inicio", "encuestas": "fecha", "auditorias": "fecha"}
