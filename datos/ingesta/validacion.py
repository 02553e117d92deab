"""Formatos de cada columna y validación en SQL sobre la tabla de preparación.

Todo el archivo se lee como texto; aquí se decide cómo convertir cada columna
mapeada y se genera el SQL que la convierte y la valida en DuckDB, fila por
fila y sin pasar por pandas:

- **fechas**: el formato ``strptime`` que más fechas plausibles (1900–2100)
  da en una muestra, seguido del resto de su familia (día/mes/año, mes/día/año
  o año-mes-día, con o sin hora, «a. m.»/«p. m.», zona «GMT-5») y de las
  formas ISO; un número entre 1 y 2.958.465 es una fecha de serie de Excel
  (días desde el 30/12/1899).
- **números**: coma o punto decimal según la muestra de la columna (con el
  delimitador del archivo como desempate), miles con punto, coma o espacio
  solo si tienen grupos de tres cifras; duraciones ``hh:mm:ss``.
- **calificaciones**: número, etiqueta de una escala (``escala_etiquetas``:
  «Muy satisfecho», «Totalmente de acuerdo», «Cumple»…) o «5 - Muy satisfecho».
- **sí/no**: las etiquetas de las escalas ``si_no`` y ``cumple``.
- «N/A», «No aplica», «-»… cuentan como vacíos, no como errores; también los códigos «no aplica» que la
  organización configuró para cada medida (``datos.ingesta.escalas``), que se cuentan aparte.
- **escalas propias**: una nota se valida en la escala configurada de su medida y se guarda llevada a
  la escala común (``sql_a_comun``).

Los valores del usuario viajan siempre como datos (columnas o parámetros con
nombre); los nombres de las columnas del archivo nunca entran en el SQL.
"""

import re
from dataclasses import dataclass, field, replace

import duckdb

from analisis.escalas import ESCALA_CSAT
from datos.ingesta.escalas import Escala, medida_de_destino
from datos.ingesta.lectura import normalizar
from datos.ingesta.mapeo import Campo, Tipo

__all__ = ["Formato", "Columna", "VACIOS", "ORDENES", "ESCALAS", "RANGOS_AUDITORIA", "FECHA_MINIMA",
           "detectar_formatos", "columnas_a_validar", "sql_tipada", "sql_errores", "etiquetas_por_escala",
           "etiquetas_frecuentes", "sql_a_comun", "ESCALA_PROPIA"]

#: Textos que significan «sin dato» en cualquier columna de número, fecha o sí/no.
VACIOS: tuple[str, ...] = ("n/a", "na", "n.a.", "no aplica", "-", "--", "ns/nc", "nsnc", "sin dato", "null",
                           "none", "nan", "#n/a", "no sabe")
#: Escalas con nombre visible.
ESCALAS: dict[str, str] = {
    "satisfaccion_5": "Satisfacción (1–5)", "acuerdo_5": "Acuerdo (1–5)", "acuerdo_7": "Acuerdo (1–7)",
    "calidad_5": "Calidad (1–5)", "si_no": "Sí / No (1 / 0)", "cumple": "Cumple / No cumple (1 / 0)",
    "propia": "Propias de la organización (todas las notas)",
}
#: La escala de etiquetas de la organización: vale en toda columna de notas y manda sobre las demás.
ESCALA_PROPIA = "propia"
#: Rango de las competencias según la escala de la auditoría.
RANGOS_AUDITORIA: dict[str, tuple[float, float]] = {"1-5": (1, 5), "0-100": (0, 100), "cumple": (0, 1)}
#: Rango de las calificaciones por etapa: la escala del CSAT (satisfacción con cada etapa).
RANGO_ETAPAS = ESCALA_CSAT
#: Fechas de hechos (encuestas, contactos, auditorías) anteriores a esta son absurdas.
FECHA_MINIMA = "2000-01-01"
_FECHA_MINIMA_FICHA = "1900-01-01"

_HORAS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p", "%H:%M:%S.%f")
_DIAS = {
    "dma": ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y"),
    "mda": ("%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y"),
    "amd": ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"),
}
_ISO = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f",
        "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y%m%d")
#: Órdenes de fecha y sus formatos ``strptime`` (con y sin hora).
ORDENES: dict[str, tuple[str, ...]] = {
    orden: tuple(f"{dia} {hora}" for dia in dias for hora in _HORAS) + dias for orden, dias in _DIAS.items()
}
#: Fechas no vacías de la muestra con las que se elige el formato de una columna de fecha:
#: bastan para ver un día mayor que 12, y probar ~40 formatos en más cuesta décimas de segundo.
_FECHAS_A_PROBAR = 1_000
_NOMBRE_ORDEN = {"dma": "dd/mm/aaaa", "mda": "mm/dd/aaaa", "amd": "aaaa-mm-dd"}
_PREFERENCIA_ESCALAS = {
    "csat": ("satisfaccion_5", "calidad_5", "acuerdo_5"), "ces": ("acuerdo_7",), "nps": (),
    "etapa": ("calidad_5", "satisfaccion_5", "acuerdo_5"), "competencia": ("cumple", "si_no", "calidad_5", "acuerdo_5"),
}
_LARGO_MAXIMO = {"id": 200, "texto": 1_000, "comentario": 20_000}
_COMA = re.compile(r"^[+-]?(\d+,(\d{1,2}|\d{4,})|\d{1,3}(\.\d{3})+,\d+|\d{1,3}(\.\d{3}){2,})$")
_PUNTO = re.compile(r"^[+-]?(\d+\.(\d{1,2}|\d{4,})|\d{1,3}(,\d{3})+\.\d+|\d{1,3}(,\d{3}){2,})$")
_NUMERO_SUELTO = re.compile(r"^\s*[+-]?\d+([.,]\d+)?\s*$")
_NUMERO_Y_ETIQUETA = re.compile(r"^\s*\d+([.,]\d+)?\s*[-–=:.)]")
#: SQL de los caracteres en blanco que se quitan de los bordes de un texto: un comentario de solo
#: espacios, tabuladores o saltos de línea («\r\n») queda vacío.
_BLANCOS = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160) || chr(8239)"
#: Expresión regular (RE2) de «empieza o acaba con uno de esos blancos». ``trim`` con una lista de caracteres
#: es lento (0,16 s por columna de un millón de filas); aplicado solo a los textos que la cumplen, convertir
#: las columnas de texto cuesta la cuarta parte (una carga de un millón de interacciones, 1 s menos).
_BORDE_BLANCO = r"^[\t\n\x0b\f\r \x{a0}\x{202f}]|[\t\n\x0b\f\r \x{a0}\x{202f}]$"


@dataclass(frozen=True)
class Formato:
    """Cómo convertir una columna: orden y patrón de fecha, separador decimal, escala de etiquetas."""

    orden: str | None = None
    patron: str | None = None
    decimal: str = ","
    escala: str | None = None

    def formatos_de_fecha(self) -> list[str]:
        """Lista ``strptime`` en orden de prueba: el patrón detectado, su familia y las formas ISO."""
        familia = ORDENES.get(self.orden or "dma", ORDENES["dma"])
        lista = ([self.patron] if self.patron else []) + [f for f in familia + _ISO if f != self.patron]
        return list(dict.fromkeys(lista))


@dataclass(frozen=True)
class Columna:
    """Una columna mapeada lista para validar: su posición en el archivo, destino, campo y formato."""

    indice: int
    nombre: str
    destino: str
    campo: Campo
    formato: Formato = field(default_factory=Formato)


def etiquetas_por_escala(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, float]]:
    """Escala -> {etiqueta normalizada: valor}, desde la tabla ``escala_etiquetas``.

    Las etiquetas de la escala propia de la organización (``ESCALA_PROPIA``) se suman a las de
    cada escala de notas y mandan sobre ellas: toda carga las usa, sin opciones.
    """
    escalas: dict[str, dict[str, float]] = {}
    for escala, etiqueta, valor in con.execute(
            "SELECT escala, etiqueta, valor FROM escala_etiquetas ORDER BY escala, etiqueta").fetchall():
        escalas.setdefault(escala, {})[etiqueta] = valor
    propias = escalas.get(ESCALA_PROPIA, {})
    if propias:
        escalas = {escala: etiquetas if escala in ("si_no", "cumple") else {**etiquetas, **propias}
                   for escala, etiquetas in escalas.items()}
    return escalas


def _campo_con_escala(campo: Campo, escala: Escala | None, comun: tuple[float, float] | None) -> Campo:
    """``campo`` validado en la escala del archivo (``escala``) y llevado a ``comun`` al guardar."""
    if escala is None:
        return campo
    if escala.minimo is None:
        return replace(campo, sin_dato=escala.sin_dato)
    return replace(campo, minimo=escala.minimo, maximo=escala.maximo, sin_dato=escala.sin_dato, comun=comun)


def columnas_a_validar(tipo: Tipo, mapeo: dict[str, str], columnas: tuple[str, ...], *,
                       escala_auditoria: str = "1-5", competencias: dict[str, str] | None = None,
                       escalas: dict[str, Escala] | None = None) -> list[Columna]:
    """Las columnas mapeadas (mapeo explícito de ``revisar_mapeo``) con el campo que las valida.

    ``escalas`` (``datos.ingesta.escalas.escalas_configuradas``) da la escala y los códigos «no aplica»
    de cada medida; sin ella cada nota se valida en su escala común.
    """
    resultado = []
    for nombre, destino in mapeo.items():
        prefijo, variable, resto = destino.partition(":")
        if variable and prefijo == "etapa":
            campo = Campo(destino, "nota", f"Etapa {resto}", "", "", (), *RANGO_ETAPAS)
        elif variable and prefijo == "competencia":
            etiqueta = (competencias or {}).get(resto, resto)
            campo = Campo(destino, "nota", etiqueta, "", "", (), *RANGOS_AUDITORIA[escala_auditoria])
        elif variable and prefijo == "atributo":
            campo = Campo(destino, "texto", resto, "", "")
        else:
            campo = tipo.campo(destino)
        medida = medida_de_destino(destino)
        if escalas and medida in escalas and campo.tipo == "nota":
            campo = _campo_con_escala(campo, escalas[medida], (campo.minimo, campo.maximo))
        resultado.append(Columna(columnas.index(nombre), nombre, destino, campo))
    return resultado


# ---------------------------------------------------------------------------
# Detección de formatos sobre una muestra
# ---------------------------------------------------------------------------

def detectar_formatos(con: duckdb.DuckDBPyConnection, muestra: str, columnas: list[Columna], *,
                      decimal_del_archivo: str, escalas: dict[str, dict[str, float]]) -> tuple[list[Columna], list[str]]:
    """Elige el formato de cada columna mirando la tabla ``muestra`` (columnas ``c<indice>``).

    Returns
    -------
    (columnas con su ``formato``, avisos en español sobre decisiones ambiguas)
    """
    avisos, resultado = [], []
    for columna in columnas:
        valores = [f[0] for f in con.execute(
            f"SELECT trim(c{columna.indice}) FROM {muestra} WHERE nullif(trim(c{columna.indice}), '') IS NOT NULL "
            "LIMIT 5000").fetchall()]
        formato = Formato(decimal=_decimal(valores, decimal_del_archivo))
        if columna.campo.tipo == "fecha":
            formato, aviso = _formato_de_fecha(con, muestra, columna, formato)
            avisos += [aviso] if aviso else []
        elif columna.campo.tipo == "nota":
            formato = Formato(decimal=formato.decimal, escala=_escala(valores, columna.destino, escalas))
        resultado.append(Columna(columna.indice, columna.nombre, columna.destino, columna.campo, formato))
    return resultado, avisos


def _decimal(valores: list[str], por_defecto: str) -> str:
    """',' o '.' según cuántos valores solo se leen con uno u otro separador decimal."""
    coma = sum(1 for v in valores if _COMA.match(v))
    punto = sum(1 for v in valores if _PUNTO.match(v))
    if coma == punto:
        return por_defecto
    return "," if coma > punto else "."


def _formato_de_fecha(con: duckdb.DuckDBPyConnection, muestra: str, columna: Columna,
                      formato: Formato) -> tuple[Formato, str | None]:
    """El patrón que da más fechas plausibles; avisa si día/mes y mes/día empatan."""
    candidatos = [(orden, patron) for orden, patrones in ORDENES.items() for patron in patrones]
    conteos = con.execute(
        "SELECT " + ", ".join(
            f"count(*) FILTER (WHERE year(coalesce(try_strptime(tal_cual, $p{i}), try_strptime(normalizada, $p{i}))) "
            "BETWEEN 1900 AND 2100)" for i in range(len(candidatos)))
        + f" FROM (SELECT trim(c{columna.indice}) AS tal_cual, {_fecha_normalizada(f'c{columna.indice}')} AS normalizada "
          f"FROM {muestra} WHERE nullif(trim(c{columna.indice}), '') IS NOT NULL LIMIT {_FECHAS_A_PROBAR})",
        {f"p{i}": patron for i, (_, patron) in enumerate(candidatos)}).fetchall()[0]
    mejor = max(range(len(candidatos)), key=lambda i: (conteos[i], -i))
    if conteos[mejor] == 0:
        return Formato(orden="dma", decimal=formato.decimal), None
    orden, patron = candidatos[mejor]
    por_orden = {o: max(c for (oo, _), c in zip(candidatos, conteos) if oo == o) for o in ORDENES}
    aviso = None
    if orden == "dma" and por_orden["mda"] == por_orden["dma"]:
        aviso = (f"Las fechas de «{columna.nombre}» sirven como día/mes y como mes/día; se leyeron como "
                 "dd/mm/aaaa. Cámbielo si es una exportación en inglés (mm/dd/aaaa).")
    return Formato(orden=orden, patron=patron, decimal=formato.decimal), aviso


def _escala(valores: list[str], destino: str, escalas: dict[str, dict[str, float]]) -> str | None:
    """La escala cuyas etiquetas cubren más valores no numéricos de la columna (o ``None``)."""
    textos = {normalizar(v) for v in valores if not _NUMERO_SUELTO.match(v) and not _NUMERO_Y_ETIQUETA.match(v)}
    textos -= set(VACIOS)
    if not textos:
        return None
    preferidas = _PREFERENCIA_ESCALAS.get(destino.partition(":")[0], ())
    orden = list(preferidas) + [e for e in escalas if e not in preferidas]
    cubiertas = {e: len(textos & set(escalas.get(e, {}))) for e in orden}
    mejor = max(orden, key=lambda e: (cubiertas[e], -orden.index(e)))
    return mejor if cubiertas[mejor] else None


# ---------------------------------------------------------------------------
# SQL de conversión y de errores
# ---------------------------------------------------------------------------

def _vacio(r: str) -> str:
    """Condición SQL: el texto crudo ``r`` está vacío o es un marcador de «sin dato»."""
    return f"({r} IS NULL OR list_contains($vacios, lower(trim({r}))))"


def _normalizado(r: str) -> str:
    """SQL: texto en minúsculas, sin tildes y con espacios simples (como ``normalizar``)."""
    return f"lower(strip_accents(trim(regexp_replace({r}, '[\\s_]+', ' ', 'g'))))"


def _numero(r: str, decimal: str) -> str:
    """SQL: el número que escribe ``r`` con ese separador decimal, o NULL."""
    miles, patron_miles = (".", r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?") if decimal == "," else \
        (",", r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
    sin_espacios = f"regexp_replace({r}, '[\\s\u00a0\u202f]', '', 'g')"
    return (f"CASE WHEN NOT contains({r}, '{miles}') THEN try_cast(replace({r}, ',', '.') AS DOUBLE) "
            f"WHEN regexp_full_match(trim({r}), '{patron_miles}') "
            f"THEN try_cast(replace(replace(trim({r}), '{miles}', ''), ',', '.') AS DOUBLE) "
            f"WHEN regexp_full_match(trim({r}), '[+-]?\\d{{1,3}}([\\s\u00a0\u202f]\\d{{3}})+([.,]\\d+)?') "
            f"THEN try_cast(replace({sin_espacios}, ',', '.') AS DOUBLE) END")


def _duracion(r: str, segundos_por_unidad: int) -> str:
    """SQL: ``hh:mm:ss`` convertido a la unidad del campo (60 = minutos, 3600 = horas), o NULL."""
    partes = [f"try_cast(split_part(trim({r}), ':', {i}) AS DOUBLE)" for i in (1, 2, 3)]
    return (f"CASE WHEN regexp_full_match(trim({r}), '\\d+:[0-5]\\d:[0-5]\\d(\\.\\d+)?') "
            f"THEN ({partes[0]} * 3600 + {partes[1]} * 60 + {partes[2]}) / {segundos_por_unidad} END")


def _etiqueta(r: str, clave: str, k: int) -> str:
    """SQL: valor de la etiqueta de ``r`` (columna ``k``) en el mapa de parámetros ``$<clave>_k``/``$<clave>_v``.

    Primero busca el texto tal cual entre los más frecuentes de la muestra, ya convertidos
    (``$crudo<k>_k``/``$crudo<k>_v``, de ``etiquetas_frecuentes``): casi todas las filas se
    resuelven así sin transformar el texto. Si no, aplica ``_etiqueta_normalizada``.
    """
    return _primero([f"MAP($crudo{k}_k::VARCHAR[], $crudo{k}_v::DOUBLE[])[{r}]", _etiqueta_normalizada(r, clave)])


def _etiqueta_normalizada(r: str, clave: str) -> str:
    """SQL: valor de la etiqueta de ``r`` en el mapa ``$<clave>_k``/``$<clave>_v`` de etiquetas normalizadas.

    Primero busca con una normalización barata (minúsculas, sin tildes) y solo si
    falla con la completa (espacios repetidos, guiones bajos), que es mucho más lenta.
    """
    mapa = f"MAP(${clave}_k::VARCHAR[], ${clave}_v::DOUBLE[])"
    return _primero([f"{mapa}[lower(strip_accents(trim({r})))]", f"{mapa}[{_normalizado(r)}]"])


def _clave_de_etiquetas(columna: Columna, k: int) -> str | None:
    """Nombre del mapa de etiquetas que usa la columna ``k`` ('sino', 'e<k>') o ``None`` si no usa etiquetas."""
    if columna.campo.tipo == "booleano":
        return "sino"
    if columna.campo.tipo == "nota" and columna.formato.escala:
        return f"e{k}"
    return None


def etiquetas_frecuentes(con: duckdb.DuckDBPyConnection, muestra: str, columnas: list[Columna], valores: dict,
                         *, cuantas: int = 50) -> dict[str, list]:
    """Parámetros ``$crudo<k>_k``/``$crudo<k>_v``: los ``cuantas`` textos más frecuentes de cada columna con
    etiquetas en la tabla ``muestra`` (columnas ``c<indice>``) y su valor, convertidos con las mismas reglas.

    ``valores`` son los parámetros de ``parametros``. Con ellos la conversión de un texto
    frecuente («Sí», «Muy satisfecho») es una búsqueda exacta; el resultado no cambia.
    """
    frecuentes = {}
    for k, columna in enumerate(columnas):
        clave = _clave_de_etiquetas(columna, k)
        if clave is None:
            continue
        filas = con.execute(
            f"SELECT crudo, {_etiqueta_normalizada('crudo', clave)} FROM (SELECT c{columna.indice} AS crudo "
            f"FROM {muestra} WHERE c{columna.indice} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {int(cuantas)})",
            {f"{clave}_k": valores[f"{clave}_k"], f"{clave}_v": valores[f"{clave}_v"]}).fetchall()
        conocidas = [(texto, valor) for texto, valor in filas if valor is not None]
        frecuentes[f"crudo{k}_k"] = [texto for texto, _ in conocidas]
        frecuentes[f"crudo{k}_v"] = [valor for _, valor in conocidas]
    return frecuentes


def _numero_inicial(r: str) -> str:
    """SQL: el número con que empieza «5 - Muy satisfecho» o «10 = Extremely likely», o NULL."""
    return (f"try_cast(replace(regexp_extract({r}, '^\\s*(\\d+(?:[.,]\\d+)?)\\s*[-–=:.)]', 1), ',', '.') "
            "AS DOUBLE)")


def _fecha_normalizada(r: str) -> str:
    """SQL: el texto de fecha sin zona «GMT-5»/«UTC» y con «a. m.»/«p. m.» como AM/PM."""
    return (f"regexp_replace(regexp_replace(regexp_replace(upper(trim({r})), "
            f"'\\s*(GMT|UTC)\\s*[+-]?\\d{{0,2}}(:?\\d{{2}})?\\s*$', ''), 'A\\.\\s?M\\.', 'AM'), "
            f"'P\\.\\s?M\\.', 'PM')")


def _fecha(r: str, indice: int) -> str:
    """SQL: la fecha de ``r`` con la lista de formatos ``$f<indice>``, serie de Excel o texto normalizado."""
    normal = _fecha_normalizada(r)
    serie = f"try_cast(replace(trim({r}), ',', '.') AS DOUBLE)"
    return _primero([f"try_strptime({r}, $f{indice})", f"try_strptime(trim({r}), $f{indice})",
                     f"CASE WHEN {serie} BETWEEN 1 AND 2958465 THEN TIMESTAMP '1899-12-30' + "
                     f"to_microseconds(CAST(round({serie} * 86400000000) AS BIGINT)) END",
                     f"try_strptime({normal}, $f{indice})"])


def _conversion(columna: Columna, k: int, r: str) -> str:
    """SQL que convierte el texto crudo ``r`` de la columna ``k`` al tipo de su campo."""
    tipo = columna.campo.tipo
    if tipo in ("id", "texto"):
        return (f"CASE WHEN regexp_matches({r}, '{_BORDE_BLANCO}') THEN nullif(trim({r}, {_BLANCOS}), '') "
                f"ELSE nullif({r}, '') END")
    if tipo == "fecha":
        return _fecha(r, k)
    if tipo == "booleano":
        return f"CASE {_etiqueta(r, 'sino', k)} WHEN 1 THEN true WHEN 0 THEN false END"
    unidad = 3600 if columna.destino == "tiempo_resolucion_h" else 60
    partes = [_numero(r, columna.formato.decimal)]
    if tipo == "numero":
        partes.append(_duracion(r, unidad))
    else:
        if columna.formato.escala:
            partes.append(_etiqueta(r, f"e{k}", k))
        partes.append(_numero_inicial(r))
    return _primero(partes)


def _primero(alternativas: list[str]) -> str:
    """SQL: el valor de la primera alternativa que no sea NULL (como ``coalesce``).

    Se escribe como ``CASE`` porque DuckDB calcula cada alternativa solo en las filas que
    aún no tienen valor, mientras que un ``coalesce`` con algún ``CASE`` dentro las calcula
    todas en todas las filas (las formas raras de fecha o número costaban así la mitad de
    convertir un archivo grande).
    """
    *primeras, ultima = alternativas
    if not primeras:
        return ultima
    return "CASE " + " ".join(f"WHEN {a} IS NOT NULL THEN {a}" for a in primeras) + f" ELSE {ultima} END"


def _correcta(columna: Columna, r: str, v: str, k: int) -> str:
    """Condición SQL: el valor de la columna ``k`` es válido (vacío o código «no aplica» cuentan como válidos aquí)."""
    campo = columna.campo
    if campo.tipo in ("id", "texto"):
        largo = _LARGO_MAXIMO["comentario" if campo.nombre == "comentario" else campo.tipo]
        return f"({v} IS NULL OR (length({v}) <= {largo} AND NOT contains({v}, chr(0))))"
    if campo.tipo == "fecha":
        return _si_hay_valor(v, f"{v} >= $minima_{columna.indice} AND {v} < $manana", r)
    if campo.tipo == "booleano":
        return _si_hay_valor(v, "true", r)
    minimo = campo.minimo if campo.minimo is not None else "-'infinity'::DOUBLE"
    maximo = campo.maximo if campo.maximo is not None else "'infinity'::DOUBLE"
    dentro = f"{v} >= {minimo} AND {v} <= {maximo} AND isfinite({v})"
    if campo.sin_dato:
        dentro = f"list_contains($sd{k}, {v}) OR ({dentro})"
    return _si_hay_valor(v, dentro, r)


def _si_hay_valor(v: str, condicion: str, r: str) -> str:
    """Condición SQL: si hay valor convertido ``v``, que cumpla ``condicion``; si no, que el crudo ``r`` esté vacío.

    Con ``CASE`` DuckDB solo mira si el texto es un marcador de vacío en las filas sin valor;
    con ``OR`` lo calculaba en todas (un quinto del tiempo de validar un archivo grande).
    """
    return f"(CASE WHEN {v} IS NOT NULL THEN ({condicion}) ELSE {_vacio(r)} END)"


def parametros(columnas: list[Columna], escalas: dict[str, dict[str, float]], *, manana, es_ficha: bool) -> dict:
    """Parámetros con nombre que usan ``sql_tipada`` y ``sql_errores`` (sin textos frecuentes: ver ``etiquetas_frecuentes``)."""
    sino = {**escalas.get("cumple", {}), **escalas.get("si_no", {})}
    valores = {"vacios": list(VACIOS), "manana": manana, "sino_k": list(sino), "sino_v": list(sino.values())}
    for k, columna in enumerate(columnas):
        if _clave_de_etiquetas(columna, k):
            valores[f"crudo{k}_k"], valores[f"crudo{k}_v"] = [], []
        if columna.campo.tipo == "fecha":
            valores[f"f{k}"] = columna.formato.formatos_de_fecha()
            ficha = es_ficha or columna.destino in ("fecha_alta", "fecha_ingreso")
            valores[f"minima_{columna.indice}"] = _FECHA_MINIMA_FICHA if ficha else FECHA_MINIMA
        if columna.campo.tipo == "nota" and columna.formato.escala:
            etiquetas = escalas.get(columna.formato.escala, {})
            valores[f"e{k}_k"], valores[f"e{k}_v"] = list(etiquetas), list(etiquetas.values())
        if columna.campo.sin_dato:
            valores[f"sd{k}"] = [float(c) for c in columna.campo.sin_dato]
        if _convierte(columna.campo):
            campo = columna.campo
            valores[f"desde{k}"], valores[f"hacia{k}"] = float(campo.minimo), float(campo.comun[0])
            valores[f"factor{k}"] = (campo.comun[1] - campo.comun[0]) / (campo.maximo - campo.minimo)
    return valores


def _convierte(campo: Campo) -> bool:
    """True si la nota viene en una escala distinta de su escala común (hay que llevarla a ella)."""
    return campo.comun is not None and (campo.minimo, campo.maximo) != tuple(campo.comun)


def sql_a_comun(columnas: list[Columna]) -> tuple[list[str], list[str]]:
    """SQL que, sobre una fila ya validada (``_valida``), deja cada nota como se guarda.

    Returns
    -------
    (reemplazos ``… AS v<k>`` de las notas con escala propia o códigos «no aplica»: el código se vuelve
    vacío y la nota se lleva a la escala común; columnas ``_na<k>``: la fila es válida y trae ese código)
    """
    reemplazos, marcas = [], []
    for k, columna in enumerate(columnas):
        campo = columna.campo
        if not (campo.sin_dato or _convierte(campo)):
            continue
        v = f"v{k}"
        valor = f"($hacia{k} + ({v} - $desde{k}) * $factor{k})" if _convierte(campo) else v
        codigo = f"list_contains($sd{k}, {v})" if campo.sin_dato else "false"
        reemplazos.append(f"CASE WHEN NOT _valida THEN {v} WHEN {codigo} THEN NULL ELSE {valor} END AS {v}")
        if campo.sin_dato:
            marcas.append(f"(_valida AND {codigo}) AS _na{k}")
    return reemplazos, marcas


def sql_tipada(columnas: list[Columna], origen: str, fila: str, reglas: list[str]) -> str:
    """SELECT que da, por fila: ``_fila``, el texto crudo ``r<k>``, el valor ``v<k>`` y ``_valida``.

    ``origen`` es la relación con ``c0..cN``; ``fila`` la expresión de número de
    fila ('_fila' en Excel, NULL en CSV, que se numera después); ``reglas`` son
    condiciones SQL extra sobre ``v<k>`` que toda fila válida cumple.
    """
    crudos = ", ".join([f"{fila} AS _fila"] + [f"c{c.indice} AS r{k}" for k, c in enumerate(columnas)])
    convertidos = ", ".join(f"{_conversion(c, k, f'r{k}')} AS v{k}" for k, c in enumerate(columnas))
    correctas = [_correcta(c, f"r{k}", f"v{k}", k) for k, c in enumerate(columnas)] + reglas
    return (f"SELECT *, ({' AND '.join(correctas) or 'true'}) AS _valida FROM ("
            f"SELECT _fila, {', '.join(f'r{k}' for k in range(len(columnas)))}, {convertidos} "
            f"FROM (SELECT {crudos} FROM {origen}))")


def _cita(r: str) -> str:
    """SQL: el valor crudo entre comillas y recortado a 60 caracteres para el informe."""
    return f"'''' || left({r}, 60) || CASE WHEN length({r}) > 60 THEN '…' ELSE '' END || ''''"


def _detalle(columna: Columna, r: str, v: str) -> str:
    """SQL: texto del error de una columna (sin la parte «Fila n, columna X:»)."""
    campo = columna.campo
    if campo.tipo in ("id", "texto"):
        largo = _LARGO_MAXIMO["comentario" if campo.nombre == "comentario" else campo.tipo]
        return (f"CASE WHEN contains({v}, chr(0)) THEN 'contiene caracteres nulos' ELSE "
                f"'el texto tiene ' || length({v}) || ' caracteres (máximo {largo})' END")
    if campo.tipo == "fecha":
        esperado = _NOMBRE_ORDEN.get(columna.formato.orden or "dma", "dd/mm/aaaa")
        return (f"CASE WHEN {v} IS NULL THEN {_cita(r)} || ' no es una fecha válida (se esperaba {esperado})' "
                f"WHEN {v} >= $manana THEN 'la fecha ' || strftime({v}, '%d/%m/%Y') || ' está en el futuro' "
                f"ELSE 'la fecha ' || strftime({v}, '%d/%m/%Y') || ' es anterior a ' || "
                f"strftime(CAST($minima_{columna.indice} AS DATE), '%d/%m/%Y') END")
    if campo.tipo == "booleano":
        return f"{_cita(r)} || ' no es Sí o No'"
    if campo.maximo is None:
        rango = "mayor o igual que 0"
    else:
        rango = f"entre {_entero(campo.minimo)} y {_entero(campo.maximo)}"
    return f"{_cita(r)} || ' no es un número {rango}'"


def _entero(x: float) -> str:
    """1.0 -> '1'; 2.5 -> '2,5'."""
    return f"{x:g}".replace(".", ",")


def sql_errores(columnas: list[Columna], tabla: str, fila: str, reglas: list[tuple[str, str, str]]) -> str:
    """SELECT de los errores (``_r``, ``fila``, ``columna``, ``valor``, ``mensaje``) de las filas no válidas.

    ``reglas`` son (condición de validez, nombre de columna para el informe, texto SQL del error).
    El nombre de cada columna viaja como parámetro ``$n<k>``.
    """
    partes = []
    for k, columna in enumerate(columnas):
        r, v = f"r{k}", f"v{k}"
        partes.append(f"SELECT rowid AS _r, {fila} AS fila, $n{k} AS columna, {r} AS valor, {_detalle(columna, r, v)} "
                      f"AS detalle FROM {tabla} WHERE NOT _valida AND NOT {_correcta(columna, r, v, k)}")
    for i, (condicion, _, detalle) in enumerate(reglas):
        partes.append(f"SELECT rowid AS _r, {fila} AS fila, $regla{i} AS columna, NULL AS valor, {detalle} AS detalle "
                      f"FROM {tabla} WHERE NOT _valida AND NOT ({condicion})")
    return " UNION ALL ".join(partes)
