"""Las secciones de la configuración como tablas editables, y de vuelta (página «Configuración de la organización»).

Cada ``tabla_*`` da el DataFrame que muestra el editor con cabeceras en español, y cada ``*_de_tabla``
convierte la tabla editada en la sección de ``datos.ajustes.organizacion.Configuracion`` (la
validación es la de ``organizacion.errores``, la misma del archivo TOML). Una celda que no se puede
leer (un código «no aplica» que no es un número) da ``AjusteNoValido`` con su explicación.

La tabla de la cadena lleva en la columna oculta ``Guardada`` el nombre guardado de cada etapa: una fila
cuyo nombre cambió es un renombre (sus calificaciones la siguen), una fila sin él es una etapa nueva y una
fila que falta es una etapa que sale de la cadena.
"""

import math
from datetime import date

import pandas as pd

from analisis.errores import AjusteNoValido
from datos.ajustes.organizacion import KPIS, Configuracion, Etapa, MetaDesde
from datos.ingesta.escalas import MEDIDAS, NOMBRES_MEDIDAS, Escala

__all__ = ["GUARDADA", "tabla_cadena", "cadena_de_tabla", "con_nombres_guardados", "tabla_escalas", "escalas_de_tabla",
           "tabla_pares", "pares_de_tabla",
           "tabla_metas", "metas_de_tabla", "tabla_metas_por_fecha", "metas_por_fecha_de_tabla"]


def _vacia(valor) -> bool:
    """True si la celda está vacía (None, NaN, NaT o texto en blanco)."""
    if valor is None or (isinstance(valor, float) and math.isnan(valor)) or valor is pd.NaT:
        return True
    return isinstance(valor, str) and not valor.strip()


def _numero(valor) -> float | None:
    """La celda como número, o None si está vacía."""
    return None if _vacia(valor) else float(valor)


def _texto(valor) -> str:
    """La celda como texto sin blancos en los bordes ('' si está vacía)."""
    return "" if _vacia(valor) else str(valor).strip()


#: Columna (oculta en el editor) con el nombre guardado de cada etapa.
GUARDADA = "Guardada"


def tabla_cadena(config: Configuracion, calificaciones: dict[str, int]) -> pd.DataFrame:
    """Orden, etapa, descripción, meta, calificaciones guardadas y ``GUARDADA`` (el nombre guardado)."""
    etapas = config.etapas or ()
    return pd.DataFrame({
        "Orden": pd.Series(range(1, len(etapas) + 1), dtype="int64"),
        "Etapa": pd.Series([e.nombre for e in etapas], dtype="object"),
        "Descripción": pd.Series([e.descripcion for e in etapas], dtype="object"),
        "Meta (media 1–5)": pd.Series([e.meta for e in etapas], dtype="float64"),
        "Calificaciones guardadas": pd.Series([calificaciones.get(e.nombre, 0) for e in etapas], dtype="int64"),
        GUARDADA: pd.Series([e.nombre for e in etapas], dtype="object"),
    })


def cadena_de_tabla(tabla: pd.DataFrame) -> tuple[dict[str, str], tuple[Etapa, ...]]:
    """(renombres nombre guardado -> nombre nuevo, etapas en el orden de la columna «Orden»).

    Las filas sin nombre se ignoran (un renglón nuevo que se dejó vacío); a igual orden, manda el de la tabla.
    """
    filas = tabla.loc[tabla["Etapa"].map(lambda v: not _vacia(v)).astype(bool)].copy()
    filas["_posicion"] = range(len(filas))
    filas["_orden"] = filas["Orden"].map(lambda v: math.inf if _vacia(v) else float(v))
    filas = filas.sort_values(["_orden", "_posicion"], kind="stable")
    renombres = {str(guardado): _texto(nombre) for guardado, nombre in zip(filas[GUARDADA], filas["Etapa"])
                 if not _vacia(guardado) and str(guardado) != _texto(nombre)}
    etapas = tuple(Etapa(_texto(f["Etapa"]), _texto(f["Descripción"]), _numero(f["Meta (media 1–5)"]))
                   for _, f in filas.iterrows())
    return renombres, etapas


def con_nombres_guardados(etapas: tuple[Etapa, ...], renombres: dict[str, str]) -> tuple[Etapa, ...]:
    """``etapas`` con el nombre guardado en las que se renombran: lo que cambia además del nombre.

    >>> con_nombres_guardados((Etapa("Cobro"), Etapa("B")), {"Pago": "Cobro"})
    (Etapa(nombre='Pago', descripcion='', meta=None), Etapa(nombre='B', descripcion='', meta=None))
    """
    antes = {nuevo: guardado for guardado, nuevo in renombres.items()}
    return tuple(Etapa(antes.get(e.nombre, e.nombre), e.descripcion, e.meta) for e in etapas)


def _texto_de_codigos(codigos: tuple[float, ...]) -> str:
    """Los códigos «no aplica» como los escribe un usuario: '0; 99'."""
    return "; ".join(f"{c:g}".replace(".", ",") for c in codigos)


def _codigos_de_texto(texto: str, medida: str) -> tuple[float, ...]:
    """'0; 99' -> (0.0, 99.0); ``AjusteNoValido`` si algo no es un número."""
    codigos = []
    for parte in (p.strip() for p in _texto(texto).replace(";", " ").split()):
        try:
            codigos.append(float(parte.replace(",", ".")))
        except ValueError:
            raise AjusteNoValido(f"Escalas: en {NOMBRES_MEDIDAS[medida]} «{parte}» no es un código numérico; "
                                 "escriba los códigos «no aplica» separados por punto y coma (p. ej. 0; 99).") from None
    return tuple(codigos)


def tabla_escalas(escalas: dict[str, Escala]) -> pd.DataFrame:
    """Una fila por medida: mínimo, máximo y códigos «no aplica» (texto), con la medida como índice."""
    return pd.DataFrame({
        "Medida": [NOMBRES_MEDIDAS[m] for m in MEDIDAS],
        "Mínimo": [escalas[m].minimo for m in MEDIDAS],
        "Máximo": [escalas[m].maximo for m in MEDIDAS],
        "Códigos «no aplica»": [_texto_de_codigos(escalas[m].sin_dato) for m in MEDIDAS],
    }, index=pd.Index(list(MEDIDAS), dtype=object))


def escalas_de_tabla(tabla: pd.DataFrame) -> dict[str, Escala]:
    """Medida -> ``Escala`` de la tabla editada (las auditorías solo guardan sus códigos)."""
    return {medida: Escala(None if MEDIDAS[medida] is None else _numero(f["Mínimo"]),
                           None if MEDIDAS[medida] is None else _numero(f["Máximo"]),
                           _codigos_de_texto(f["Códigos «no aplica»"], medida))
            for medida, f in tabla.iterrows()}


def tabla_pares(pares: dict[str, float], clave: str, valor: str) -> pd.DataFrame:
    """Un diccionario (etiquetas, promesas) como tabla de dos columnas."""
    return pd.DataFrame({clave: pd.Series(list(pares), dtype="object"),
                         valor: pd.Series([float(v) for v in pares.values()], dtype="float64")})


def pares_de_tabla(tabla: pd.DataFrame, clave: str, valor: str, seccion: str) -> dict[str, float]:
    """La tabla de dos columnas de vuelta a diccionario; ``AjusteNoValido`` si falta un valor o se repite una clave."""
    pares: dict[str, float] = {}
    for texto, numero in zip(tabla[clave], tabla[valor]):
        if _vacia(texto) and _vacia(numero):
            continue
        if _vacia(texto) or _vacia(numero):
            raise AjusteNoValido(f"{seccion}: cada fila necesita {clave.lower()} y {valor.lower()}.")
        if _texto(texto) in pares:
            raise AjusteNoValido(f"{seccion}: «{_texto(texto)}» está repetido.")
        pares[_texto(texto)] = float(numero)
    return pares


def tabla_metas(metas: dict[str, float]) -> pd.DataFrame:
    """Una fila por KPI con su meta (vacía si no tiene), con la clave como índice."""
    return pd.DataFrame({"Indicador": list(KPIS.values()), "Meta": [metas.get(k) for k in KPIS]},
                        index=pd.Index(list(KPIS), dtype=object))


def metas_de_tabla(tabla: pd.DataFrame) -> dict[str, float]:
    """KPI -> meta de las filas con meta."""
    return {kpi: float(meta) for kpi, meta in zip(tabla.index, tabla["Meta"]) if not _vacia(meta)}


def tabla_metas_por_fecha(metas: tuple[MetaDesde, ...]) -> pd.DataFrame:
    """Una fila por meta con fecha: indicador (clave), meta, desde, sucursal y canal."""
    return pd.DataFrame({"Indicador": pd.Series([m.kpi for m in metas], dtype="object"),
                         "Meta": pd.Series([m.meta for m in metas], dtype="float64"),
                         "Desde": pd.to_datetime(pd.Series([m.desde for m in metas], dtype="object")),
                         "Sucursal": pd.Series([m.sucursal for m in metas], dtype="object"),
                         "Canal": pd.Series([m.canal for m in metas], dtype="object")})


def metas_por_fecha_de_tabla(tabla: pd.DataFrame) -> tuple[MetaDesde, ...]:
    """Las filas con indicador de vuelta a ``MetaDesde``; ``AjusteNoValido`` si falta la meta o la fecha."""
    metas = []
    for _, f in tabla.iterrows():
        if _vacia(f["Indicador"]):
            continue
        if _vacia(f["Meta"]) or _vacia(f["Desde"]):
            raise AjusteNoValido(f"Metas por fecha: la fila de {KPIS.get(f['Indicador'], f['Indicador'])} necesita "
                                 "la meta y la fecha desde la que rige.")
        desde = f["Desde"].date() if isinstance(f["Desde"], pd.Timestamp) else f["Desde"]
        metas.append(MetaDesde(str(f["Indicador"]), float(f["Meta"]), desde if isinstance(desde, date) else
                               date.fromisoformat(str(desde)), _texto(f["Sucursal"]), _texto(f["Canal"])))
    return tuple(metas)
