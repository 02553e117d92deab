"""Formato de números a la manera española: 1.234,5 · 85,3 % · p < 0,001 · 3 de marzo de 2026.

Funciones puras que toda la interfaz usa para mostrar cifras; NaN y ``None``
se muestran como una raya ("—"). Los nombres de fechas los pone Babel (``es_ES``).
``anchos_de_columnas`` decide cómo cabe una tabla a lo ancho de la página (qué columnas de texto se estrechan y
parten en líneas). ``sin_markdown`` deja un texto de los usuarios (un comentario, un nombre) listo para ir dentro de un
texto que Streamlit dibuja como Markdown, sin que dibuje enlaces, imágenes ni formato.
Los números no pasan por Babel porque su redondeo mitad-al-par sobre el decimal más corto
cambia cifras que la interfaz ya muestra (3,45 → «3,4» en vez de «3,5») y tarda unas ocho
veces más por número (14 µs frente a 1,8 µs; 177 ms frente a 65 ms en una tabla de 500 × 15).
"""

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from babel.dates import format_date

from analisis.errores import AjusteNoValido, FechaNoValida

__all__ = ["numero", "porcentaje", "con_signo", "valor_p", "fecha", "segun_unidad", "cambio_segun_unidad",
           "cantidad", "numero_editable", "leer_numero", "PATRON_NUMERO", "PATRON_ENTERO", "numeros_en_texto",
           "numeros_leidos", "tamano_de_archivo", "filas_por_tabla", "tabla_en_texto", "para_exportar", "con_precision",
           "DECIMALES_EXPORTACION", "sin_markdown", "texto_plotly", "momento", "fecha_corta", "leer_fecha", "Periodo",
           "periodo_escrito", "EXCEL_PORCENTAJE", "EXCEL_PUNTOS", "EXCEL_ENTERO", "EXCEL_FECHA", "EXCEL_MOMENTO",
           "SEPARADORES_PLOTLY", "RAYA"]
__all__ += ["anchos_de_columnas", "Anchos", "ANCHO_DE_TABLA", "ANCHO_MINIMO_TEXTO"]

#: Separadores para ``layout.separators`` de Plotly: coma decimal, punto de miles.
SEPARADORES_PLOTLY = ",."

RAYA = "—"

#: Formatos de número de Excel (Excel los muestra con la coma decimal y el punto de miles del idioma de quien
#: abre el libro): porcentaje «85,7 %», puntos con signo «+5,2 pts», entero «1.234», fecha y momento.
EXCEL_PORCENTAJE = "0.0%"
EXCEL_PUNTOS = '+0.0" pts";-0.0" pts";0.0" pts"'
EXCEL_ENTERO = "#,##0"
EXCEL_FECHA = "DD/MM/YYYY"
EXCEL_MOMENTO = "DD/MM/YYYY HH:MM"

#: Decimales con que salen los números reales de un CSV o Excel cuya columna no declara los suyos
#: (36,7647… → 36,765); una columna los declara con ``con_precision`` (un NPS con 1, un valor p con 4).
DECIMALES_EXPORTACION = 3
#: Dónde guarda una tabla los decimales de sus columnas (``DataFrame.attrs``, que pandas conserva al copiarla).
_DECIMALES = "decimales"

#: Configuración regional de las fechas (Babel la carga en el primer uso, no al importar).
_ES = "es_ES"


def _ausente(valor: float | None) -> bool:
    """True si el valor falta (None o NaN)."""
    return valor is None or (isinstance(valor, float) and math.isnan(valor))


def numero(valor: float | None, decimales: int = 1) -> str:
    """Número con punto de miles y coma decimal.

    >>> numero(1234.5)
    '1.234,5'
    >>> numero(-0.04, 2)
    '-0,04'
    >>> numero(-0.004, 2)  # lo que se redondea a cero no lleva signo
    '0,00'
    >>> numero(float("nan"))
    '—'
    """
    if _ausente(valor):
        return RAYA
    texto = f"{valor:z,.{decimales}f}"
    return texto.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


#: Un número escrito a la española, entero o con decimales (5.835 · 5835 · -0,8 · 1.234,5), como expresión
#: regular de JavaScript y de Python: la regla con que un editor de tablas acepta una celda numérica.
PATRON_NUMERO = r"^\s*-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?\s*$"
#: Lo mismo, sin decimales (un orden, unos días, un recuento).
PATRON_ENTERO = r"^\s*-?(\d{1,3}(\.\d{3})+|\d+)\s*$"


def numero_editable(valor: float | None) -> str | None:
    """El número como lo escribe y lo lee un usuario en una celda editable: punto de miles, coma decimal y
    solo los decimales que tiene (hasta seis); None si falta (la celda queda vacía).

    >>> numero_editable(5835), numero_editable(0.8), numero_editable(0.1 + 0.2), numero_editable(float("nan"))
    ('5.835', '0,8', '0,3', None)
    """
    if _ausente(valor):
        return None
    return numero(float(valor), 6).rstrip("0").rstrip(",")


def leer_numero(texto: str | None) -> float | None:
    """El número que un usuario escribió a la española (``PATRON_NUMERO``); None si la celda está vacía.

    Raises
    ------
    AjusteNoValido
        Si el texto no es un número escrito así («0.8» con punto decimal, «1,234.5», «abc»).

    >>> leer_numero(" 5.835 "), leer_numero("-0,8"), leer_numero("")
    (5835.0, -0.8, None)
    """
    if _ausente(texto) or not str(texto).strip():
        return None
    if not re.match(PATRON_NUMERO, str(texto)):
        raise AjusteNoValido(f"«{str(texto).strip()}» no es un número: escríbalo con coma decimal y punto de "
                             "miles, p. ej. 1.234,5 o 0,8.")
    return float(str(texto).strip().replace(".", "").replace(",", "."))


def numeros_en_texto(tabla: pd.DataFrame, columnas: list[str]) -> pd.DataFrame:
    """``tabla`` con ``columnas`` (numéricas) escritas con ``numero_editable``, para un editor de tablas.

    >>> numeros_en_texto(pd.DataFrame({"n": [5835, None]}), ["n"])["n"].tolist()
    ['5.835', None]
    """
    return tabla.assign(**{c: pd.Series([numero_editable(v) for v in tabla[c]], index=tabla.index, dtype=object)
                           for c in columnas})


def numeros_leidos(editada: pd.DataFrame, tipos: Mapping[str, object]) -> pd.DataFrame:
    """La tabla que devolvió el editor con las columnas de ``tipos`` (columna → dtype original) leídas con
    ``leer_numero``, como ``float64`` (vacías: NaN); una columna entera sin celdas vacías vuelve entera.

    >>> editada = pd.DataFrame({"n": ["5.835", "7"], "x": ["0,8", None]})
    >>> numeros_leidos(editada, {"n": "int64", "x": "int64"}).to_dict("list")
    {'n': [5835, 7], 'x': [0.8, nan]}
    """
    leidas = {c: pd.Series([leer_numero(v) for v in editada[c]], index=editada.index, dtype="float64")
              for c in tipos}
    return editada.assign(**{c: serie.astype("int64") if pd.api.types.is_integer_dtype(tipos[c])
                             and serie.notna().all() else serie for c, serie in leidas.items()})


def cantidad(n: int, singular: str, plural: str) -> str:
    """«1 fila tiene», «2 filas tienen», «1.234 filas tienen»: el número y el texto que concuerda con él.

    >>> cantidad(1, "fila tiene", "filas tienen"), cantidad(1234, "fila tiene", "filas tienen")
    ('1 fila tiene', '1.234 filas tienen')
    """
    return f"{numero(n, 0)} {singular if n == 1 else plural}"


def porcentaje(proporcion: float | None, decimales: int = 1) -> str:
    """Proporción 0..1 como porcentaje con espacio antes del signo.

    >>> porcentaje(0.8534)
    '85,3 %'
    """
    if _ausente(proporcion):
        return RAYA
    return f"{numero(100 * proporcion, decimales)} %"


def con_signo(valor: float | None, decimales: int = 1, sufijo: str = "") -> str:
    """Número con signo explícito (+ o -), útil para cambios entre periodos.

    >>> con_signo(2.25, 1, " pts")
    '+2,2 pts'
    >>> con_signo(-1234.0, 0), con_signo(-0.001, 2)
    ('-1.234', '+0,00')
    """
    if _ausente(valor):
        return RAYA
    texto = numero(valor, decimales)
    return f"{'' if texto.startswith('-') else '+'}{texto}{sufijo}"


def valor_p(p: float | None) -> str:
    """Valor p legible: 'p < 0,001' o 'p = 0,034'.

    >>> valor_p(0.0004), valor_p(0.0341)
    ('p < 0,001', 'p = 0,034')
    """
    if _ausente(p):
        return RAYA
    return "p < 0,001" if p < 0.001 else f"p = {numero(p, 3)}"


def fecha(dia) -> str:
    """Fecha larga en español: '3 de marzo de 2026'.

    >>> import datetime
    >>> fecha(datetime.date(2026, 3, 3))
    '3 de marzo de 2026'
    """
    return format_date(dia, "long", locale=_ES)


def momento(valor) -> str:
    """Fecha y hora «31/10/2026 14:05» (a medianoche, solo «31/10/2026»); sin valor, la raya.

    >>> import datetime
    >>> momento(datetime.datetime(2026, 10, 31, 14, 5)), momento(datetime.datetime(2026, 10, 31))
    ('31/10/2026 14:05', '31/10/2026')
    """
    if valor is None or pd.isna(valor):
        return RAYA
    return valor.strftime("%d/%m/%Y" if (valor.hour, valor.minute) == (0, 0) else "%d/%m/%Y %H:%M")


def fecha_corta(dia) -> str:
    """Fecha «31/10/2026», como se escribe en los filtros y sale en las exportaciones.

    >>> fecha_corta(datetime.date(2026, 3, 3))
    '03/03/2026'
    """
    return dia.strftime("%d/%m/%Y")


#: «31/10/2026», «1-9-26», «1.9.2026» y la forma ISO «2026-10-31» (direcciones guardadas antes).
_FECHA_ESCRITA = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_FECHA_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def leer_fecha(texto: str) -> datetime.date:
    """La fecha que un usuario escribió como día/mes/año («31/10/2026», «1/9/26»; también «2026-10-31»).

    Raises
    ------
    FechaNoValida
        Con el mensaje en español si el texto no es una fecha o la fecha no existe (31/02/2026).

    >>> leer_fecha(" 1/9/26 "), leer_fecha("2026-10-31")
    (datetime.date(2026, 9, 1), datetime.date(2026, 10, 31))
    """
    limpio = str(texto).strip()
    dia_mes_ano = _FECHA_ESCRITA.match(limpio)
    iso = _FECHA_ISO.match(limpio)
    if dia_mes_ano:
        dia, mes, ano = (int(x) for x in dia_mes_ano.groups())
        ano += 2000 if ano < 100 else 0
    elif iso:
        ano, mes, dia = (int(x) for x in iso.groups())
    else:
        raise FechaNoValida(f"«{limpio}» no es una fecha: escríbala como día/mes/año, p. ej. 31/10/2026.")
    try:
        return datetime.date(ano, mes, dia)
    except ValueError:
        raise FechaNoValida(f"La fecha «{limpio}» no existe (día {dia}, mes {mes}, año {ano}).") from None


@dataclass(frozen=True)
class Periodo:
    """El periodo que una página usa de verdad a partir de lo escrito, y por qué difiere de lo escrito (``avisos``)."""

    desde: datetime.date
    hasta: datetime.date
    avisos: tuple[str, ...] = ()


def _fecha_o_aviso(texto: str, vacio: datetime.date, anterior: datetime.date,
                   avisos: list[str]) -> datetime.date:
    """La fecha de ``texto``: ``vacio`` si no hay texto; ``anterior`` (y el motivo en ``avisos``) si no se entiende."""
    if not str(texto or "").strip():
        return vacio
    try:
        return leer_fecha(texto)
    except FechaNoValida as error:
        avisos.append(f"{error.mensaje} Se usa el {fecha_corta(anterior)}.")
        return anterior


def periodo_escrito(desde: str, hasta: str, *, primera: datetime.date, ultima: datetime.date,
                    anterior: tuple[datetime.date, datetime.date]) -> Periodo:
    """El periodo de los textos ``desde`` y ``hasta`` dentro de los datos (de ``primera`` a ``ultima``).

    Un texto vacío es «desde el primer dato» o «hasta el último»; uno que no se entiende deja la fecha
    ``anterior``; una fecha fuera de los datos se lleva al primer o al último día con datos y unas fechas
    al revés se intercambian. Cada ajuste deja su motivo en ``avisos``, en español.

    >>> import datetime as dt
    >>> p = periodo_escrito("01/01/2020", "15/10/2026", primera=dt.date(2025, 5, 1), ultima=dt.date(2026, 10, 31),
    ...                     anterior=(dt.date(2026, 8, 3), dt.date(2026, 10, 31)))
    >>> p.desde, p.avisos
    (datetime.date(2025, 5, 1), ('No hay datos antes del 01/05/2025: el periodo empieza ese día.',))
    """
    avisos: list[str] = []
    inicio = _fecha_o_aviso(desde, primera, anterior[0], avisos)
    fin = _fecha_o_aviso(hasta, ultima, anterior[1], avisos)
    if inicio > fin:
        inicio, fin = fin, inicio
        avisos.append("La fecha inicial era posterior a la final: se intercambiaron.")
    if inicio < primera:
        avisos.append(f"No hay datos antes del {fecha_corta(primera)}: el periodo empieza ese día.")
    if fin > ultima:
        avisos.append(f"No hay datos después del {fecha_corta(ultima)}: el periodo termina ese día.")
    inicio, fin = min(max(inicio, primera), ultima), max(min(fin, ultima), primera)
    return Periodo(inicio, fin, tuple(avisos))


def segun_unidad(valor: float | None, unidad: str) -> str:
    """Valor de un KPI formateado según su unidad ('escala', 'proporcion', 'puntos', 'minutos').

    >>> segun_unidad(4.126, "escala"), segun_unidad(0.5, "proporcion"), segun_unidad(12.25, "minutos")
    ('4,13', '50,0 %', '12,2 min')
    """
    formatos = {
        "escala": lambda v: numero(v, 2),
        "proporcion": lambda v: porcentaje(v, 1),
        "puntos": lambda v: numero(v, 1),
        "minutos": lambda v: f"{numero(v, 1)} min" if not _ausente(v) else RAYA,
    }
    if unidad not in formatos:
        raise ValueError(f"'unidad' debe ser una de {sorted(formatos)}")
    return formatos[unidad](valor)


def cambio_segun_unidad(diferencia: float | None, unidad: str) -> str:
    """Diferencia entre periodos con signo: puntos porcentuales para proporciones.

    >>> cambio_segun_unidad(0.034, "proporcion"), cambio_segun_unidad(-3.0, "puntos")
    ('+3,4 pp', '-3,0 pts')
    """
    formatos = {
        "escala": lambda d: con_signo(d, 2),
        "proporcion": lambda d: con_signo(None if _ausente(d) else 100 * d, 1, " pp"),
        "puntos": lambda d: con_signo(d, 1, " pts"),
        "minutos": lambda d: con_signo(d, 1, " min"),
    }
    if unidad not in formatos:
        raise ValueError(f"'unidad' debe ser una de {sorted(formatos)}")
    return formatos[unidad](diferencia)


def filas_por_tabla(filas: Mapping[str, int], notas: Mapping[str, str] | None = None) -> str:
    """Una línea «  tabla: 1.234 filas» por tabla, con la nota de la tabla si la hay (órdenes de consola).

    >>> print(filas_por_tabla({"encuestas": 1234, "agentes": 1}, {"encuestas": " (por mes)"}))
      encuestas: 1.234 filas (por mes)
      agentes: 1 fila
    """
    notas = notas or {}
    return "\n".join(f"  {tabla}: {cantidad(n, 'fila', 'filas')}{notas.get(tabla, '')}" for tabla, n in filas.items())


def tabla_en_texto(tabla: pd.DataFrame) -> pd.DataFrame:
    """Copia de ``tabla`` para mostrar como texto en español: números «62.133» o «5,5», momentos
    «27/11/2026 03:15» (fechas sin hora «27/11/2026»), sí/no «Sí»/«No» y vacíos como texto vacío.

    >>> tabla = pd.DataFrame({"n": [62133, None], "media": [5.5, 4.0], "ok": [True, False],
    ...                       "cuando": pd.to_datetime(["2026-11-27 03:15", None]), "quien": ["ana", None]})
    >>> tabla_en_texto(tabla).values.tolist()
    [['62.133', '5,5', 'Sí', '27/11/2026 03:15', 'ana'], ['', '4', 'No', '', '']]
    """
    salida = pd.DataFrame(index=tabla.index)
    for columna, serie in tabla.items():
        salida[columna] = [_celda(valor, serie.dtype) for valor in serie]
    return salida


def _celda(valor, tipo) -> str:
    """Texto de un valor de una columna de tipo ``tipo`` (ver ``tabla_en_texto``)."""
    if valor is None or (not isinstance(valor, str) and pd.isna(valor)):
        return ""
    if pd.api.types.is_bool_dtype(tipo) or isinstance(valor, bool):
        return "Sí" if valor else "No"
    if pd.api.types.is_numeric_dtype(tipo):
        return numero(valor, 0) if float(valor).is_integer() else numero(valor, 2).rstrip("0").rstrip(",")
    if pd.api.types.is_datetime64_any_dtype(tipo):
        return momento(valor)
    return str(valor)


def con_precision(tabla: pd.DataFrame, decimales: Mapping[str, int]) -> pd.DataFrame:
    """Copia de ``tabla`` con las columnas de ``decimales`` (nombre → decimales) redondeadas a la precisión de
    su cifra y esa precisión anotada, para que ``para_exportar`` la respete (un valor p conserva 4 decimales).

    >>> t = con_precision(pd.DataFrame({"NPS": [36.7647], "p": [0.00041]}), {"NPS": 1, "p": 4})
    >>> para_exportar(t).values.tolist()
    [[36.8, 0.0004]]
    """
    salida = tabla.copy()
    for columna, cifras in decimales.items():
        salida[columna] = pd.to_numeric(salida[columna]).round(cifras)
    salida.attrs[_DECIMALES] = {**tabla.attrs.get(_DECIMALES, {}), **decimales}
    return salida


def _es_dia(valor) -> bool:
    """True si ``valor`` es una fecha sin hora (``date`` o un momento a medianoche)."""
    if isinstance(valor, datetime.datetime):
        return (valor.hour, valor.minute, valor.second, valor.microsecond) == (0, 0, 0, 0)
    return isinstance(valor, datetime.date)


def para_exportar(tabla: pd.DataFrame) -> pd.DataFrame:
    """Copia de ``tabla`` lista para un CSV o Excel en español.

    Los reales quedan redondeados a los decimales que su columna declaró con ``con_precision``, o a
    ``DECIMALES_EXPORTACION`` (siguen siendo números: la coma decimal la pone el CSV y Excel los
    muestra según su idioma); las fechas sin hora (momentos a medianoche o ``date``) pasan a «31/10/2026»
    y sí/no a «Sí»/«No». Los momentos con hora los escribe ``datos.cuentas.exportar`` («31/10/2026 14:05»).

    >>> import datetime
    >>> t = pd.DataFrame({"v": [36.76470588235294], "dia": pd.to_datetime(["2026-10-31"]), "ok": [True],
    ...                   "inicio": [datetime.date(2026, 10, 5)]})
    >>> para_exportar(t).values.tolist()
    [[36.765, '31/10/2026', 'Sí', '05/10/2026']]
    """
    salida = tabla.copy()
    declarados = tabla.attrs.get(_DECIMALES, {})
    for columna, serie in tabla.items():
        dias = serie.dropna()
        if pd.api.types.is_bool_dtype(serie.dtype):
            salida[columna] = ["Sí" if v else "No" for v in serie]
        elif pd.api.types.is_float_dtype(serie.dtype):
            salida[columna] = serie.round(declarados.get(columna, DECIMALES_EXPORTACION))
        elif ((pd.api.types.is_datetime64_any_dtype(serie.dtype) or serie.dtype == object) and len(dias)
              and all(_es_dia(v) for v in dias)):
            salida[columna] = ["" if pd.isna(v) else fecha_corta(v) for v in serie]
    return salida


#: Marcas del Markdown de Streamlit: énfasis, código, enlaces e imágenes (``[``), HTML y autoenlaces (``<``),
#: LaTeX (``$``) y los dos puntos pegados a una palabra (``:red[…]``, ``:material/…:``); «débil: Entrega» no cambia.
_MARCAS_MARKDOWN = re.compile(r"([\\`*_\[\]{}<>#~$]|:(?=\S))")
#: Lo que GFM enlaza sin marcas (``http://``, ``www.``, ``nombre@dominio.com``) aun con escapes: se corta con
#: un separador invisible (U+2060, «word joiner»), que no se ve ni parte la línea.
_ENLACE_SUELTO = re.compile(r"(?i)(://|\bwww(?=\.)|@)")
_SEPARADOR_INVISIBLE = "\u2060"
#: Lista o cita al comienzo del texto: «- », «+ », «> », «1. », «1) ».
_LISTA_AL_COMIENZO = re.compile(r"^(?:([-+>])|(\d+)([.)]))")


def _escapar_lista(encontrado: re.Match) -> str:
    """El comienzo de lista o cita ``encontrado`` con su marca escapada."""
    simbolo, cifras, marca = encontrado.groups()
    return "\\" + simbolo if simbolo else f"{cifras}\\{marca}"


def _cortar_enlace(encontrado: re.Match) -> str:
    """``://``, ``www`` o ``@`` con el separador invisible en medio o detrás."""
    marca = encontrado.group(1)
    return f":{_SEPARADOR_INVISIBLE}//" if marca == "://" else marca + _SEPARADOR_INVISIBLE


def sin_markdown(texto: object) -> str:
    r"""``texto`` en una línea, con cada marca de Markdown escapada: se ve tal como se escribió.

    Para textos de los usuarios (comentarios, notas, nombres de agentes, etapas, temas, archivos)
    que van dentro de ``st.markdown``, ``st.caption``, ``st.info``… Un enlace, una imagen externa,
    un encabezado o un color no se dibujan: quedan como texto (CommonMark: «backslash escapes»; los
    enlaces sueltos de GFM, cortados por un separador invisible).

    >>> print(sin_markdown("Mal ![x](http://malo.example/a.png) y [aquí](www.malo.example)").replace("\u2060", "¦"))
    Mal !\[x\](http\:¦//malo.example/a.png) y \[aquí\](www¦.malo.example)
    >>> print(sin_markdown("# Título\n- punto"), sin_markdown("1. uno"), sin_markdown("débil: 85,3 % (1.234,5)"))
    \# Título - punto 1\. uno débil: 85,3 % (1.234,5)
    """
    plano = _ENLACE_SUELTO.sub(_cortar_enlace, " ".join(str(texto).split()))
    return _LISTA_AL_COMIENZO.sub(_escapar_lista, _MARCAS_MARKDOWN.sub(r"\\\1", plano))


def texto_plotly(texto: object) -> str:
    """``texto`` de un usuario listo para una figura de Plotly: ninguna etiqueta se interpreta.

    Plotly dibuja ``<a href>``, ``<b>``, ``<br>``… en ejes, leyendas, anotaciones y globos: un nombre
    de etapa, tema, agente o segmento sería un enlace vivo. Se escapan ``&``, ``<`` y ``>`` como
    entidades HTML, que Plotly muestra tal como se escribieron.

    >>> texto_plotly('<a href="http://malo.example">x</a> & <b>y</b>')
    '&lt;a href="http://malo.example"&gt;x&lt;/a&gt; &amp; &lt;b&gt;y&lt;/b&gt;'
    """
    return str(texto).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tamano_de_archivo(octetos: int | float) -> str:
    """Tamaño de un archivo a la manera española: «612 bytes», «2,5 KB», «1,5 MB» (1 KB = 1.024 bytes).

    >>> tamano_de_archivo(612), tamano_de_archivo(2_560), tamano_de_archivo(1_572_864)
    ('612 bytes', '2,5 KB', '1,5 MB')
    """
    if octetos < 1024:
        return cantidad(int(octetos), "byte", "bytes")
    if octetos < 1024 * 1024:
        return f"{numero(octetos / 1024, 1)} KB"
    return f"{numero(octetos / (1024 * 1024), 1)} MB"


#: Ancho (píxeles) que toda tabla tiene seguro en la página: la columna principal mide 818 px a 1280 px de
#: ancho con la barra lateral abierta, y algo menos dentro de un desplegable.
ANCHO_DE_TABLA = 770
#: Lo que mide, de media, una letra de las tablas de Streamlit (14 px) y el relleno de una celda; una columna mide
#: al menos ``_ANCHO_MINIMO`` y no se estira sola más allá de ``_ANCHO_MAXIMO`` (los de Streamlit).
_PIXELES_POR_LETRA, _RELLENO, _ANCHO_MINIMO, _ANCHO_MAXIMO = 6.2, 20, 50, 500
#: Ninguna columna de texto se estrecha por debajo de esto (ni de lo que mide su título).
ANCHO_MINIMO_TEXTO = 150
#: Alto de una línea de texto partido, el relleno de la fila y las líneas que se muestran como mucho (el resto
#: se lee al pulsar la celda); Streamlit solo parte el texto de filas de más de 64 px.
_ALTO_DE_LINEA, _RELLENO_DE_FILA, _LINEAS_MAXIMAS, _ALTO_PARA_PARTIR = 18, 16, 3, 66


@dataclass(frozen=True)
class Anchos:
    """Cómo cabe una tabla en ``ANCHO_DE_TABLA`` (``anchos_de_columnas``).

    ``columnas``: columna de texto → ancho en píxeles al que se estrecha (su texto se parte en líneas);
    ``alto_de_fila``: el alto de fila que deja ver esas líneas (None si ninguna se parte); ``desplazar``: True si
    ni así cabe (demasiadas columnas): la tabla se desplaza de lado con la primera columna fija.
    """

    columnas: dict[str, int]
    alto_de_fila: int | None
    desplazar: bool


def _letras(valor) -> int:
    """Las letras que ocupa una celda: su texto (un momento, como «31/10/2026 23:49»), la suma de sus elementos si es
    una lista (sucursales), 0 si está vacía."""
    if not pd.api.types.is_scalar(valor):
        return sum(len(str(elemento)) + 3 for elemento in valor)
    if pd.isna(valor):
        return 0
    return len("31/10/2026 23:49") if isinstance(valor, datetime.date) else len(str(valor))


def _ancho_natural(titulo: object, serie: pd.Series) -> int:
    """Lo que mide una columna con su texto en una línea: el de su título o su celda más larga (las 500 primeras)."""
    letras = max([len(str(titulo)), *(_letras(v) for v in serie.head(500))])
    return max(_ANCHO_MINIMO, min(_ANCHO_MAXIMO, round(_RELLENO + letras * _PIXELES_POR_LETRA)))


def anchos_de_columnas(tabla: pd.DataFrame, *, fijos: Mapping[str, int] | None = None,
                       ancho: int = ANCHO_DE_TABLA) -> Anchos:
    """Los anchos con que ``tabla`` cabe en ``ancho`` píxeles sin desplazarse de lado: si sus columnas, con el texto
    en una línea, no caben, las de texto más anchas que ``ANCHO_MINIMO_TEXTO`` se estrechan (en proporción a lo
    que miden, nunca por debajo del mínimo ni de su título) y su texto se parte en líneas.

    ``fijos``: columnas cuyo ancho ya decidió quien dibuja la tabla (no se tocan). Si ni con las de texto en su
    mínimo cabe, ``desplazar`` (las de texto quedan en su mínimo).

    >>> t = pd.DataFrame({"Fecha": ["31/10/2026"], "Comentario": ["muy bien " * 40], "CSAT": [5]})
    >>> a = anchos_de_columnas(t, ancho=400)
    >>> a.columnas, a.alto_de_fila, a.desplazar
    ({'Comentario': 268}, 66, False)
    >>> anchos_de_columnas(t.assign(Comentario="bien"))
    Anchos(columnas={}, alto_de_fila=None, desplazar=False)
    >>> anchos_de_columnas(t, ancho=200).desplazar
    True
    """
    fijos = dict(fijos or {})
    naturales = {c: fijos.get(c) or _ancho_natural(c, tabla[c]) for c in tabla.columns}
    if sum(naturales.values()) <= ancho:
        return Anchos({}, None, False)
    textos = [c for c in tabla.columns if c not in fijos and not pd.api.types.is_numeric_dtype(tabla[c])
              and not pd.api.types.is_bool_dtype(tabla[c]) and naturales[c] > ANCHO_MINIMO_TEXTO]
    libre = ancho - sum(v for c, v in naturales.items() if c not in textos)
    if not textos:
        return Anchos({}, None, True)
    total = sum(naturales[c] for c in textos)
    minimos = {c: max(ANCHO_MINIMO_TEXTO, _ancho_natural(c, tabla[c].head(0))) for c in textos}
    columnas = {c: max(minimos[c], int(libre * naturales[c] / total)) for c in textos}
    desplazar = sum(columnas.values()) > libre
    if desplazar:  # no cabe: cuanto más estrechas, menos se desplaza
        columnas = minimos
    lineas = max(-(-naturales[c] // columnas[c]) for c in textos)
    alto = max(_ALTO_PARA_PARTIR, _RELLENO_DE_FILA + _ALTO_DE_LINEA * min(lineas, _LINEAS_MAXIMAS))
    return Anchos(columnas, alto if lineas > 1 else None, desplazar)
