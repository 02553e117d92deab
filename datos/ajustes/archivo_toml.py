"""La configuración de la organización como archivo TOML (``python -m datos.configuracion``).

Claves (un archivo puede traer solo algunas secciones; las que trae reemplazan lo guardado)::

    [cadena]
    etapas = ["Reserva", "Embarque", "A bordo"]     # en el orden de la cadena
    metas = { "Embarque" = 4.2 }                    # opcional: meta de la media (1–5) por etapa
    descripciones = { "Reserva" = "Web y call center" }   # opcional

    [escalas.etapas]                                # también csat, nps, ces y auditorias (solo sin_dato)
    minimo = 1
    maximo = 5
    sin_dato = [0]                                  # códigos que significan «no aplica»

    [etiquetas]                                     # texto -> número, en toda carga
    "Muy satisfecho" = 5

    [metas]                                         # KPI -> meta que rige desde siempre
    csat_media = 4.0

    [[metas_por_fecha]]                             # meta que rige desde una fecha (sucursal y canal opcionales)
    kpi = "csat_media"
    meta = 4.2
    desde = 2027-01-01
    sucursal = "Sucursal Norte"

    [promesas]                                      # canal -> minutos hasta la primera respuesta
    "Chat" = 5

``leer_archivo`` convierte el archivo en una ``Configuracion`` y la valida entera (la misma validación
que la página); ``texto_toml`` escribe la configuración completa.
"""

import tomllib
from datetime import date
from pathlib import Path

import tomli_w

from analisis.errores import AjusteNoValido, ArchivoIlegible
from datos.ajustes.organizacion import Configuracion, Etapa, MetaDesde, revisar
from datos.ingesta.escalas import MEDIDAS, Escala

__all__ = ["SECCIONES", "desde_diccionario", "desde_texto", "a_diccionario", "leer_archivo", "texto_toml"]

#: Secciones que entiende el archivo.
SECCIONES = ("cadena", "escalas", "etiquetas", "metas", "metas_por_fecha", "promesas")
_CABECERA = ("# Configuración de la organización para Eslabón.\n"
             "# Se aplica con: python -m datos.configuracion importar ESTE_ARCHIVO.toml --db RUTA\n"
             "# Cada sección que trae el archivo reemplaza la guardada; las que faltan no se tocan.\n\n")


class _Problemas:
    """Acumula los problemas de forma del archivo, para informarlos todos juntos."""

    def __init__(self):
        self.lista: list[str] = []

    def tabla(self, valor, donde: str) -> dict:
        """``valor`` si es una tabla TOML; si no, anota el problema y devuelve una vacía."""
        if isinstance(valor, dict):
            return valor
        self.lista.append(f"{donde} debe ser una tabla (claves = valores).")
        return {}

    def claves(self, tabla: dict, permitidas: tuple[str, ...], donde: str) -> None:
        """Anota las claves de ``tabla`` que no están en ``permitidas``."""
        for clave in tabla:
            if clave not in permitidas:
                self.lista.append(f"{donde}: clave desconocida «{clave}» (se esperaba {', '.join(permitidas)}).")

    def numero(self, valor, donde: str) -> float | None:
        """``valor`` como número real, o ``None`` (y se anota) si no lo es."""
        if isinstance(valor, (int, float)) and not isinstance(valor, bool):
            return float(valor)
        self.lista.append(f"{donde} debe ser un número, no {valor!r}.")
        return None


def _cadena(datos: dict, p: _Problemas) -> tuple[Etapa, ...]:
    """La sección ``[cadena]``: etapas en orden, con sus metas y descripciones."""
    p.claves(datos, ("etapas", "metas", "descripciones"), "[cadena]")
    etapas = datos.get("etapas")
    if not isinstance(etapas, list) or not all(isinstance(e, str) for e in etapas):
        p.lista.append("[cadena] etapas debe ser una lista de nombres entre comillas, en el orden de la cadena.")
        return ()
    metas = p.tabla(datos.get("metas", {}), "[cadena] metas")
    descripciones = p.tabla(datos.get("descripciones", {}), "[cadena] descripciones")
    for nombre in [*metas, *descripciones]:
        if nombre not in etapas:
            p.lista.append(f"[cadena]: «{nombre}» tiene meta o descripción pero no está en etapas.")
    for nombre, texto in descripciones.items():
        if not isinstance(texto, str):
            p.lista.append(f"[cadena] la descripción de «{nombre}» debe ser un texto.")
    return tuple(Etapa(nombre.strip(), str(descripciones.get(nombre, "")),
                       p.numero(metas[nombre], f"[cadena] la meta de «{nombre}»") if nombre in metas else None)
                 for nombre in etapas)


def _escalas(datos: dict, p: _Problemas) -> dict[str, Escala]:
    """Las secciones ``[escalas.<medida>]``."""
    escalas = {}
    for medida, valores in datos.items():
        if medida not in MEDIDAS:
            p.lista.append(f"[escalas.{medida}]: «{medida}» no es una medida; use una de {', '.join(MEDIDAS)}.")
            continue
        valores = p.tabla(valores, f"[escalas.{medida}]")
        p.claves(valores, ("minimo", "maximo", "sin_dato"), f"[escalas.{medida}]")
        codigos = valores.get("sin_dato", [])
        if not isinstance(codigos, list):
            p.lista.append(f"[escalas.{medida}] sin_dato debe ser una lista de números, p. ej. [0].")
            codigos = []
        extremos = [p.numero(valores[c], f"[escalas.{medida}] {c}") if c in valores else None
                    for c in ("minimo", "maximo")]
        escalas[medida] = Escala(*extremos, tuple(c for c in (p.numero(c, f"[escalas.{medida}] sin_dato")
                                                               for c in codigos) if c is not None))
    return escalas


def _numeros(datos: dict, p: _Problemas, seccion: str) -> dict[str, float]:
    """Una sección de pares texto = número (``[etiquetas]``, ``[metas]``, ``[promesas]``)."""
    return {clave: valor for clave, valor in ((c, p.numero(v, f"[{seccion}] «{c}»")) for c, v in datos.items())
            if valor is not None}


def _metas_por_fecha(datos, p: _Problemas) -> tuple[MetaDesde, ...]:
    """Las tablas ``[[metas_por_fecha]]``."""
    if not isinstance(datos, list):
        p.lista.append("metas_por_fecha debe escribirse como [[metas_por_fecha]], una tabla por meta.")
        return ()
    metas = []
    for i, tabla in enumerate(datos, 1):
        donde = f"[[metas_por_fecha]] n.º {i}"
        tabla = p.tabla(tabla, donde)
        p.claves(tabla, ("kpi", "meta", "desde", "sucursal", "canal"), donde)
        desde = tabla.get("desde")
        if isinstance(desde, str):
            try:
                desde = date.fromisoformat(desde)
            except ValueError:
                pass
        if not isinstance(desde, date):
            p.lista.append(f"{donde}: desde debe ser una fecha AAAA-MM-DD (p. ej. desde = 2027-01-01).")
            continue
        meta = p.numero(tabla.get("meta"), f"{donde} meta")
        if meta is not None:
            metas.append(MetaDesde(str(tabla.get("kpi", "")), meta, desde, str(tabla.get("sucursal", "")),
                                   str(tabla.get("canal", ""))))
    return tuple(metas)


def desde_diccionario(datos: dict) -> Configuracion:
    """La ``Configuracion`` de un TOML ya leído, validada entera.

    Raises
    ------
    AjusteNoValido
        Con todos los problemas (de forma y de contenido), uno por línea.
    """
    p = _Problemas()
    p.claves(datos, SECCIONES, "El archivo")
    if not any(s in datos for s in SECCIONES):
        p.lista.append(f"El archivo no trae ninguna sección de configuración ({', '.join(SECCIONES)}).")
    config = Configuracion(
        etapas=_cadena(p.tabla(datos["cadena"], "[cadena]"), p) if "cadena" in datos else None,
        escalas=_escalas(p.tabla(datos["escalas"], "[escalas]"), p) if "escalas" in datos else None,
        etiquetas=(_numeros(p.tabla(datos["etiquetas"], "[etiquetas]"), p, "etiquetas")
                   if "etiquetas" in datos else None),
        metas=_numeros(p.tabla(datos["metas"], "[metas]"), p, "metas") if "metas" in datos else None,
        metas_por_fecha=_metas_por_fecha(datos["metas_por_fecha"], p) if "metas_por_fecha" in datos else None,
        promesas=_numeros(p.tabla(datos["promesas"], "[promesas]"), p, "promesas") if "promesas" in datos else None,
    )
    if p.lista:
        raise AjusteNoValido("El archivo de configuración no es válido; no se cambió nada:\n- " + "\n- ".join(p.lista))
    revisar(config)
    return config


def a_diccionario(config: Configuracion) -> dict:
    """Las secciones presentes de ``config`` con las claves del archivo."""
    datos: dict = {}
    if config.etapas is not None:
        datos["cadena"] = {"etapas": [e.nombre for e in config.etapas],
                           "metas": {e.nombre: e.meta for e in config.etapas if e.meta is not None},
                           "descripciones": {e.nombre: e.descripcion for e in config.etapas if e.descripcion}}
    if config.escalas is not None:
        datos["escalas"] = {medida: {**({"minimo": e.minimo, "maximo": e.maximo} if e.minimo is not None else {}),
                                     "sin_dato": list(e.sin_dato)} for medida, e in config.escalas.items()}
    for seccion in ("etiquetas", "metas", "promesas"):
        if getattr(config, seccion) is not None:
            datos[seccion] = dict(getattr(config, seccion))
    if config.metas_por_fecha is not None:
        datos["metas_por_fecha"] = [
            {"kpi": m.kpi, "meta": m.meta, "desde": m.desde, **({"sucursal": m.sucursal} if m.sucursal else {}),
             **({"canal": m.canal} if m.canal else {})} for m in config.metas_por_fecha]
    return datos


def texto_toml(config: Configuracion) -> str:
    """La configuración como texto TOML, con una cabecera que explica cómo aplicarlo."""
    return _CABECERA + tomli_w.dumps(a_diccionario(config))


def leer_archivo(ruta: str | Path) -> Configuracion:
    """Lee y valida un archivo TOML de configuración.

    Raises
    ------
    ArchivoIlegible
        Si el archivo no existe, no se puede abrir o no es texto UTF-8.
    AjusteNoValido
        Si no es TOML válido o su contenido no es una configuración válida (todos los problemas).
    """
    try:
        texto = Path(ruta).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ArchivoIlegible(f"No se pudo leer el archivo de configuración {ruta}: {error}") from error
    return desde_texto(texto)


def desde_texto(texto: str) -> Configuracion:
    """La ``Configuracion`` de un texto TOML (p. ej. un archivo subido en la página), validada entera.

    Raises ``AjusteNoValido`` si no es TOML válido o su contenido no es válido.
    """
    try:
        datos = tomllib.loads(texto)
    except tomllib.TOMLDecodeError as error:
        raise AjusteNoValido(f"El archivo no es TOML válido ({error}); no se cambió nada.") from error
    return desde_diccionario(datos)
