"""Nombres de los perfiles: el automático en español, la firma y los que guardan los usuarios.

Los rasgos de mayor |desvío| forman el nombre automático, determinista («Externos frecuentes por
teléfono, detractores»). La firma (variables, k y perfil redondeado) permite guardar el nombre
que un usuario le dé (``datos.ajustes.perfiles``).
"""

import hashlib
import json
from collections.abc import Mapping

import pandas as pd

from analisis.perfiles._resultado import Perfiles
from analisis.perfiles._variables import PREFIJO_CANAL


#: |desvío| mínimo para que un rasgo entre en el nombre automático; rasgos por nombre.
UMBRAL_NOMBRE, RASGOS_POR_NOMBRE = 0.4, 3
_FRASES = {
    "contactos_mes": (0, "frecuentes", "ocasionales"),
    "antiguedad_anios": (0, "antiguos", "recientes"),
    "recencia_dias": (0, "inactivos", "activos"),
    "quejas": (3, "con muchas quejas", "con pocas quejas"),
    "promesas_incumplidas": (3, "con promesas incumplidas", "con promesas cumplidas"),
    "escalados": (3, "con casos escalados", "sin escalamientos"),
    "ces": (3, "con poco esfuerzo", "con mucho esfuerzo"),
    "csat": (4, "satisfechos", "insatisfechos"),
}


_FRASES_NIVEL = {
    "nps_clase": (4, {"promotor": "promotores", "pasivo": "pasivos", "detractor": "detractores"}),
}


_LUGAR_NIVEL = {"mezcla_canales": 1, "segmento": 2, "region": 2}
_CABEZAS = {"externo": "Externos", "intermedio": "Intermedios", "interno": "Internos"}
_CANAL_FRASE = {"Presencial": "en persona"}
_PARTICIPACION_CABEZA = 0.6


def _frase_canal(canal: str) -> str:
    """'por teléfono', 'por WhatsApp', 'en persona'."""
    if canal in _CANAL_FRASE:
        return _CANAL_FRASE[canal]
    return f"por {canal.lower() if canal[1:].islower() else canal}"


def _frase(fila: pd.Series) -> tuple[int, str] | None:
    """(lugar en el nombre, frase) que describe un rasgo destacado; None si el rasgo no se nombra así."""
    variable, nivel, arriba = fila["variable"], fila["nivel"], fila["desvio"] > 0
    if pd.isna(nivel):
        lugar, alto, bajo = _FRASES.get(variable, (3, f"con {variable} alto", f"con {variable} bajo"))
        return lugar, alto if arriba else bajo
    if not arriba:
        return None
    if variable == "mezcla_canales":
        return _LUGAR_NIVEL[variable], _frase_canal(nivel.removeprefix(PREFIJO_CANAL))
    if variable in _FRASES_NIVEL:
        lugar, frases = _FRASES_NIVEL[variable]
        return (lugar, frases[nivel]) if nivel in frases else None
    if variable == "segmento":
        return _LUGAR_NIVEL[variable], f"del segmento {nivel}"
    if variable == "region":
        return _LUGAR_NIVEL[variable], f"de la región {nivel}"
    return 3, f"con {variable} {nivel}"


def _cabeza(rasgos_grupo: pd.DataFrame) -> pd.Series | None:
    """Fila del tipo de cliente dominante del perfil (≥ 60 % de sus clientes), si lo hay."""
    tipos = rasgos_grupo[(rasgos_grupo["variable"] == "tipo_cliente")
                         & (rasgos_grupo["valor_grupo"] >= _PARTICIPACION_CABEZA)]
    return tipos.iloc[0] if len(tipos) else None


def _redundante(fila: pd.Series, cabeza: pd.Series | None) -> bool:
    """True si la categoría marca a los mismos clientes que la cabeza (p. ej. segmento 'Área interna')."""
    return (cabeza is not None and not pd.isna(fila["nivel"]) and fila["variable"] != "mezcla_canales"
            and abs(fila["valor_grupo"] - cabeza["valor_grupo"]) < 0.02
            and abs(fila["valor_poblacion"] - cabeza["valor_poblacion"]) < 0.02)


def _componer(cabeza: str, frases: list[tuple[int, str]]) -> str:
    """Une la cabeza y las frases en su orden gramatical; lo evaluativo va tras una coma."""
    if not frases:
        return f"{cabeza} típicos"
    frases = sorted(frases, key=lambda f: f[0])
    antes = " ".join(texto for lugar, texto in frases if lugar < 4)
    despues = " ".join(texto for lugar, texto in frases if lugar == 4)
    if antes and despues:
        return f"{cabeza} {antes}, {despues}"
    return f"{cabeza} {antes or despues}"


def _candidatas(rasgos_grupo: pd.DataFrame, cabeza: pd.Series | None) -> list[tuple[int, str]]:
    """Frases de los rasgos destacados del perfil, de mayor a menor |desvío|.

    Una por variable, una sola valoración (satisfacción o clase NPS, tras la coma) y ninguna que
    repita a la cabeza.
    """
    destacados = rasgos_grupo[(rasgos_grupo["desvio"].abs() >= UMBRAL_NOMBRE)
                              & (rasgos_grupo["variable"] != "tipo_cliente")]
    destacados = destacados.assign(orden=-destacados["desvio"].abs()).sort_values(
        ["orden", "variable", "nivel"], kind="stable", na_position="first")
    frases, vistas = [], set()
    for _, fila in destacados.iterrows():
        frase = _frase(fila)
        if frase is None or fila["variable"] in vistas or _redundante(fila, cabeza):
            continue
        if frase[0] == 4 and any(lugar == 4 for lugar, _ in frases):
            continue
        vistas.add(fila["variable"])
        frases.append(frase)
    return frases


def nombres_automaticos(tabla: pd.DataFrame, k: int) -> dict[int, str]:
    """Nombre automático de cada perfil, distinto de los demás (se alarga o se numera si coincide)."""
    nombres: dict[int, str] = {}
    for grupo in range(k):
        rasgos_grupo = tabla[tabla["grupo"] == grupo]
        fila_cabeza = _cabeza(rasgos_grupo)
        cabeza = "Clientes" if fila_cabeza is None else _CABEZAS.get(fila_cabeza["nivel"], "Clientes")
        frases = _candidatas(rasgos_grupo, fila_cabeza)
        cantidad = RASGOS_POR_NOMBRE
        nombre = _componer(cabeza, frases[:cantidad])
        while nombre in nombres.values() and cantidad < len(frases):
            cantidad += 1
            nombre = _componer(cabeza, frases[:cantidad])
        if nombre in nombres.values():
            nombre = f"{nombre} ({grupo + 1})"
        nombres[grupo] = nombre
    return nombres


def firmas(tabla: pd.DataFrame, k: int) -> dict[int, str]:
    """Firma de cada perfil: huella de las variables, k y sus rasgos redondeados a dos cifras."""
    variables = sorted(tabla["variable"].unique())
    firmas = {}
    for grupo in range(k):
        filas = tabla[tabla["grupo"] == grupo].sort_values(["variable", "nivel"], na_position="first")
        valores = [None if pd.isna(v) else float(f"{v:.2g}") for v in filas["valor_grupo"]]
        texto = json.dumps({"variables": variables, "k": k, "perfil": valores}, ensure_ascii=False)
        firmas[grupo] = hashlib.sha1(texto.encode()).hexdigest()
    return firmas


def con_nombres(resultado: Perfiles, guardados: pd.DataFrame) -> dict[int, str]:
    """Nombre de cada perfil: el que el usuario guardó para su firma o, si no hay, el automático.

    ``guardados`` trae columnas ``firma`` y ``nombre`` (``datos.consultas.perfiles.nombres_perfiles``).
    """
    propios = dict(zip(guardados["firma"], guardados["nombre"]))
    return {g: propios.get(resultado.firmas[g], nombre) for g, nombre in resultado.nombres.items()}


def cambios_de_nombre(resultado: Perfiles, escritos: Mapping[int, str]) -> dict[str, str | None]:
    """Firma → nombre a guardar por cada perfil renombrado; None borra el nombre propio.

    Un nombre vacío o igual al automático vuelve al automático (None).

    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(nombres={0: "Externos"}, firmas={0: "f0"})
    >>> cambios_de_nombre(r, {0: "  Clientes clave "}), cambios_de_nombre(r, {0: "Externos"})
    ({'f0': 'Clientes clave'}, {'f0': None})
    """
    cambios = {}
    for grupo, texto in escritos.items():
        limpio = " ".join(str(texto).split())
        cambios[resultado.firmas[grupo]] = limpio if limpio and limpio != resultado.nombres[grupo] else None
    return cambios
