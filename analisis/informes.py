"""Informes de realimentación para equipos y agentes: HTML autocontenido, Excel y ZIP de todos.

``informe_equipo`` e ``informe_agente`` reúnen, para un equipo o un agente, lo
que ya calcularon ``analisis.competencias`` y ``analisis.capacitacion``
(brechas, puntaje de auditoría, progreso, plan). ``a_html`` lo escribe como una
página HTML sin dependencias externas (la figura es SVG en línea, se imprime
bien), ``libro_excel`` como libro de Excel con un gráfico nativo, y
``archivos_de_informes`` reúne muchos (los archivos salen por ``datos.cuentas.exportar``). Las cifras de una persona con menos
auditorías que el mínimo no se muestran.

Las funciones ``texto_*`` dan las mismas tablas con los números ya escritos a
la manera española (85,3 %, +5,2 pts), para las páginas y los informes.
"""

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from analisis import capacitacion, competencias
from analisis.formato import (EXCEL_ENTERO, EXCEL_PORCENTAJE, EXCEL_PUNTOS, RAYA, cambio_segun_unidad, con_signo,
                              numero, porcentaje, valor_p)

__all__ = [
    "Informe", "Dato", "Resultados", "resultados", "informe_equipo", "informe_agente", "equipos", "informes_de_equipos",
    "a_html", "libro_excel", "archivos_de_informes", "nombre_de_archivo",
    "texto_brechas", "texto_prioridades", "texto_impactos", "texto_progreso", "texto_sesgos", "texto_acuerdo",
    "texto_sesiones", "texto_necesidades", "texto_ejemplo",
]

_COLOR = {"rojo": "#c62828", "ambar": "#f9a825", "verde": "#2e7d32", "gris": "#b0b7bf", "linea": "#1f5f8b"}


@dataclass(frozen=True)
class Informe:
    """Contenido de un informe de realimentación, ya filtrado para su destinatario.

    ``competencias``: ``Competencia``, ``puntaje``, ``ic_inf``, ``ic_sup``, ``meta``, ``brecha``,
    ``brecha_inf``, ``n`` y ``referencia`` (puntaje del equipo, para un agente; NaN para un equipo);
    vacío si no hay muestra suficiente. ``progreso``: ``Competencia``, ``antes``, ``despues``,
    ``cambio``, ``veredicto``. ``plan``: ``Prioridad``, ``Competencia``, ``Brecha`` (escala común, como
    ``brecha``), ``Temas``. ``agentes`` (solo equipos): ``Agente``, ``Auditorías``, ``Puntaje`` (NaN si no
    llega al mínimo). ``resumen``: los ``Dato`` del encabezado. ``avisos``: frases que el lector debe ver.
    Las cifras son números: el HTML las escribe con ``analisis.formato`` y el Excel les da formato de número.
    """

    titulo: str
    destinatario: str
    periodo: str
    rondas: str
    minimo: int
    resumen: tuple["Dato", ...]
    competencias: pd.DataFrame
    progreso: pd.DataFrame
    plan: pd.DataFrame
    agentes: pd.DataFrame
    avisos: tuple[str, ...]


@dataclass(frozen=True)
class Dato:
    """Una cifra del encabezado de un informe: ``nombre``, ``valor`` y su ``unidad``.

    ``unidad``: 'cantidad' (un entero), 'proporcion' (0..1, se lee en %), 'intervalo' (par de
    proporciones) o 'texto'.
    """

    nombre: str
    valor: object
    unidad: str = "texto"

    def texto(self) -> str:
        """El valor escrito a la española: «225», «85,7 %», «80,1 % a 90,3 %»."""
        if self.unidad == "cantidad":
            return numero(self.valor, 0)
        if self.unidad == "proporcion":
            return porcentaje(self.valor)
        if self.unidad == "intervalo":
            return _intervalo(*self.valor)
        return str(self.valor)


def _puntos(valor: float) -> str:
    """Diferencia en escala común como puntos porcentuales con signo: 0,052 → '+5,2 pts'."""
    return con_signo(None if pd.isna(valor) else 100 * valor, 1, " pts")


def _competencias(brechas: pd.DataFrame, referencia: pd.DataFrame | None) -> pd.DataFrame:
    """Tabla de competencias del informe (solo filas suficientes), con el puntaje de referencia."""
    tabla = brechas[brechas["suficiente"]].rename(columns={"nombre_competencia": "Competencia"})
    tabla = tabla[["competencia", "Competencia", "puntaje", "ic_inf", "ic_sup", "meta", "brecha", "brecha_inf", "n"]]
    if referencia is not None and not referencia.empty:
        tabla = tabla.merge(referencia[["competencia", "puntaje"]].rename(columns={"puntaje": "referencia"}),
                            on="competencia", how="left")
    else:
        tabla = tabla.assign(referencia=float("nan"))
    return tabla.drop(columns="competencia").reset_index(drop=True)


def _progreso(progreso: pd.DataFrame) -> pd.DataFrame:
    """Tabla de progreso del informe: antes, después, cambio y veredicto por competencia."""
    if progreso.empty or "veredicto" not in progreso:
        return pd.DataFrame(columns=["Competencia", "antes", "despues", "cambio", "veredicto"])
    return progreso.rename(columns={"nombre_competencia": "Competencia", "puntaje_antes": "antes",
                                    "puntaje_despues": "despues"})[
        ["Competencia", "antes", "despues", "cambio", "veredicto"]].reset_index(drop=True)


def _plan(necesidades: pd.DataFrame) -> pd.DataFrame:
    """Tabla del plan del informe: prioridad, competencia, brecha (escala común) y temas."""
    return pd.DataFrame({"Prioridad": necesidades["orden"].astype(int),
                         "Competencia": necesidades["nombre_competencia"],
                         "Brecha": necesidades["brecha"].astype(float),
                         "Temas": necesidades["temas"]}).reset_index(drop=True)


def _resumen(auditoria: pd.Series | None, minimo: int) -> tuple[Dato, ...]:
    """Indicadores del encabezado a partir de la fila de ``competencias.resumen_auditorias``."""
    if auditoria is None:
        return (Dato("Auditorías", 0, "cantidad"),)
    filas = [Dato("Auditorías", int(auditoria["n"]), "cantidad")]
    if auditoria["n"] >= minimo:
        filas += [Dato("Puntaje global de auditoría", float(auditoria["puntaje"]), "proporcion"),
                  Dato("Intervalo de confianza 95 %", (float(auditoria["ic_inf"]), float(auditoria["ic_sup"])),
                       "intervalo"),
                  Dato("Auditorías fallidas por error crítico", float(auditoria["tasa_fallidas"]), "proporcion")]
    return tuple(filas)


def _fila(tabla: pd.DataFrame, grupo: str) -> pd.Series | None:
    """La fila de ``grupo`` en una tabla por grupo, o None."""
    filas = tabla[tabla["grupo"] == grupo]
    return None if filas.empty else filas.iloc[0]


@dataclass(frozen=True)
class Resultados:
    """Lo que necesitan los informes, calculado una vez para agentes y equipos.

    Cada atributo ``*_agente`` / ``*_equipo`` es la salida de la función homónima de
    ``competencias`` o ``capacitacion`` en ese nivel; ``equipos`` da el equipo de cada agente.
    """

    brechas_agente: pd.DataFrame
    brechas_equipo: pd.DataFrame
    auditorias_agente: pd.DataFrame
    auditorias_equipo: pd.DataFrame
    progreso_agente: pd.DataFrame
    progreso_equipo: pd.DataFrame
    plan_agente: pd.DataFrame
    plan_equipo: pd.DataFrame
    equipos: pd.Series
    periodo: str
    rondas: str
    minimo: int


def resultados(puntajes: pd.DataFrame, por_ronda: pd.DataFrame, auditorias: pd.DataFrame, estandar: pd.DataFrame,
               temas: pd.DataFrame, impactos: pd.DataFrame, *, antes, despues, periodo: str, rondas: str,
               minimo: int) -> Resultados:
    """Calcula brechas, puntajes de auditoría, progreso y plan por agente y por equipo.

    Parameters
    ----------
    puntajes : ``consultas.puntajes_competencias`` del periodo.
    por_ronda : ``consultas.puntajes_competencias(..., ronda=...)``.
    auditorias : ``consultas.puntajes_auditorias`` del periodo.
    estandar, temas : estándar de competencias y temas de capacitación.
    impactos : ``competencias.impacto`` (la prioridad de cada brecha).
    antes, despues : rondas que se comparan (None si no hay dos).
    periodo, rondas : textos para el encabezado y la sección de progreso.
    minimo : auditorías necesarias para mostrar las cifras de una persona.
    """
    brechas = {nivel: competencias.brechas(puntajes, estandar, por=nivel, minimo=minimo)
               for nivel in ("agente", "equipo")}
    auditado = {nivel: competencias.resumen_auditorias(auditorias, por=nivel, minimo=minimo)
                for nivel in ("agente", "equipo")}
    progreso = {nivel: capacitacion.progreso(por_ronda, antes=antes, despues=despues, por=nivel, minimo=minimo,
                                             estandar=estandar) if antes is not None
                else pd.DataFrame(columns=["grupo", "nombre_competencia"]) for nivel in ("agente", "equipo")}
    plan = {nivel: capacitacion.plan_capacitacion(competencias.prioridades(brechas[nivel], impactos), temas).necesidades
            for nivel in ("agente", "equipo")}
    return Resultados(brechas["agente"], brechas["equipo"], auditado["agente"], auditado["equipo"],
                      progreso["agente"], progreso["equipo"], plan["agente"], plan["equipo"],
                      auditorias.set_index("agente_id")["equipo"], periodo, rondas, minimo)


def informe_equipo(datos: Resultados, equipo: str) -> Informe:
    """Informe de un equipo: sus brechas, su progreso, su plan y el puntaje de cada agente.

    Los agentes con menos de ``datos.minimo`` auditorías aparecen sin cifras.
    """
    suyas = datos.brechas_equipo[datos.brechas_equipo["grupo"] == equipo]
    agentes = datos.auditorias_agente[datos.auditorias_agente["grupo"].isin(
        set(datos.equipos[datos.equipos == equipo].index))]
    tabla_agentes = pd.DataFrame({
        "Agente": agentes["etiqueta"], "Auditorías": agentes["n"].astype(int),
        "Puntaje": agentes["puntaje"].astype(float).where(agentes["n"] >= datos.minimo)}).reset_index(drop=True)
    avisos = () if suyas["suficiente"].any() else (
        f"El equipo no tiene al menos {datos.minimo} calificaciones por competencia en el periodo.",)
    return Informe(
        titulo=f"Informe de realimentación · {equipo}", destinatario=equipo, periodo=datos.periodo,
        rondas=datos.rondas, minimo=datos.minimo, resumen=_resumen(_fila(datos.auditorias_equipo, equipo), datos.minimo),
        competencias=_competencias(suyas, None),
        progreso=_progreso(datos.progreso_equipo[datos.progreso_equipo["grupo"] == equipo]),
        plan=_plan(datos.plan_equipo[datos.plan_equipo["grupo"] == equipo]), agentes=tabla_agentes, avisos=avisos,
    )


def informe_agente(datos: Resultados, agente_id: str) -> Informe:
    """Informe de un agente frente a su equipo; sin cifras si no llega a ``datos.minimo`` auditorías."""
    fila = _fila(datos.auditorias_agente, agente_id)
    etiqueta = fila["etiqueta"] if fila is not None else agente_id
    equipo = datos.equipos.get(agente_id)
    equipo = None if pd.isna(equipo) else equipo
    if fila is None or fila["n"] < datos.minimo:
        return Informe(
            titulo=f"Informe de realimentación · {etiqueta}", destinatario=etiqueta, periodo=datos.periodo,
            rondas=datos.rondas, minimo=datos.minimo, resumen=_resumen(fila, datos.minimo),
            competencias=_competencias(datos.brechas_agente.iloc[0:0], None), progreso=_progreso(pd.DataFrame()),
            plan=_plan(datos.plan_agente.iloc[0:0]), agentes=pd.DataFrame(),
            avisos=(f"{etiqueta} tiene {0 if fila is None else int(fila['n'])} auditorías en el periodo; se "
                    f"necesitan al menos {datos.minimo} para mostrar cifras individuales.",))
    referencia = datos.brechas_equipo[datos.brechas_equipo["grupo"] == equipo] if equipo else None
    return Informe(
        titulo=f"Informe de realimentación · {etiqueta}", destinatario=etiqueta, periodo=datos.periodo,
        rondas=datos.rondas, minimo=datos.minimo,
        resumen=_resumen(fila, datos.minimo) + ((Dato("Equipo", equipo),) if equipo else ()),
        competencias=_competencias(datos.brechas_agente[datos.brechas_agente["grupo"] == agente_id], referencia),
        progreso=_progreso(datos.progreso_agente[datos.progreso_agente["grupo"] == agente_id]),
        plan=_plan(datos.plan_agente[datos.plan_agente["grupo"] == agente_id]), agentes=pd.DataFrame(), avisos=(),
    )


def equipos(datos: Resultados) -> list[str]:
    """Los equipos con auditorías, en orden alfabético."""
    return sorted(datos.brechas_equipo["grupo"].unique())


def informes_de_equipos(datos: Resultados) -> list[Informe]:
    """El informe de cada equipo con auditorías, en orden alfabético."""
    return [informe_equipo(datos, equipo) for equipo in equipos(datos)]


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

_ESTILO = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#222;max-width:960px;
margin:2em auto;padding:0 1em;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.1em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:2px solid #1f5f8b;
padding-bottom:.2em}.sub{color:#555;margin-top:0}table{border-collapse:collapse;width:100%;margin:.6em 0;
font-size:.92em}th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left}td.num{text-align:right;
white-space:nowrap}th{background:#f3f6f9}.tarjetas{display:flex;flex-wrap:wrap;gap:.8em}.tarjeta{border:1px solid
#ccd;border-radius:6px;padding:.5em .9em;min-width:10em}.tarjeta b{display:block;font-size:1.3em}.aviso{background:
#fff4e5;border-left:4px solid #f9a825;padding:.5em .8em}.nota{color:#555;font-size:.88em}
@media print{body{margin:0}h2{page-break-after:avoid}}
"""


def _tabla_html(tabla: pd.DataFrame, numericas: tuple[str, ...] = ()) -> str:
    """Tabla HTML con textos escapados; las columnas ``numericas`` alineadas a la derecha."""
    cabecera = "".join(f"<th>{html.escape(str(c))}</th>" for c in tabla.columns)
    clases = ["<td class='num'>" if c in numericas else "<td>" for c in tabla.columns]
    filas = "".join("<tr>" + "".join(f"{clase}{html.escape(str(v))}</td>" for clase, v in zip(clases, fila)) + "</tr>"
                    for fila in tabla.itertuples(index=False))
    return f"<table><thead><tr>{cabecera}</tr></thead><tbody>{filas}</tbody></table>"


def _color(fila: pd.Series) -> str:
    """Rojo si la brecha es clara, ámbar si no llega a la meta sin ser claro, verde si la cumple."""
    if fila["brecha_inf"] > 0:
        return _COLOR["rojo"]
    return _COLOR["ambar"] if fila["brecha"] > 0 else _COLOR["verde"]


def _svg_barras(competencias: pd.DataFrame) -> str:
    """Barras horizontales del puntaje por competencia (0–100 %) con intervalo, meta y referencia."""
    alto_fila, izquierda, ancho = 26, 300, 380
    alto = 40 + alto_fila * len(competencias)
    x = lambda v: izquierda + ancho * min(max(float(v), 0.0), 1.0)  # noqa: E731 - escala del eje
    partes = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{izquierda + ancho + 80}" height="{alto}" '
              f'font-family="system-ui, Arial, sans-serif" font-size="12" role="img" '
              f'aria-label="Puntaje por competencia frente a la meta">']
    for marca in (0, 0.25, 0.5, 0.75, 1):
        partes.append(f'<line x1="{x(marca)}" y1="18" x2="{x(marca)}" y2="{alto - 14}" stroke="#e3e3e3"/>'
                      f'<text x="{x(marca)}" y="{alto - 2}" text-anchor="middle" fill="#555">'
                      f'{html.escape(porcentaje(marca, 0))}</text>')
    for i, fila in enumerate(competencias.to_dict("records")):
        y = 22 + i * alto_fila
        partes.append(f'<text x="{izquierda - 8}" y="{y + 13}" text-anchor="end">'
                      f'{html.escape(str(fila["Competencia"]))}</text>'
                      f'<rect x="{izquierda}" y="{y + 3}" width="{x(fila["puntaje"]) - izquierda}" height="14" '
                      f'fill="{_color(pd.Series(fila))}" opacity="0.85"><title>{html.escape(porcentaje(fila["puntaje"]))}'
                      f'</title></rect>')
        if pd.notna(fila["ic_inf"]):
            partes.append(f'<line x1="{x(fila["ic_inf"])}" y1="{y + 10}" x2="{x(fila["ic_sup"])}" y2="{y + 10}" '
                          f'stroke="#333" stroke-width="1.2"/>')
        partes.append(f'<line x1="{x(fila["meta"])}" y1="{y}" x2="{x(fila["meta"])}" y2="{y + 20}" stroke="#111" '
                      f'stroke-width="2" stroke-dasharray="3,2"/>')
        if pd.notna(fila["referencia"]):
            partes.append(f'<circle cx="{x(fila["referencia"])}" cy="{y + 10}" r="4" fill="white" '
                          f'stroke="{_COLOR["linea"]}" stroke-width="2"/>')
        partes.append(f'<text x="{izquierda + ancho + 8}" y="{y + 13}" fill="#333">'
                      f'{html.escape(porcentaje(fila["puntaje"], 0))}</text>')
    partes.append("</svg>")
    return "".join(partes)


def _competencias_texto(competencias: pd.DataFrame) -> pd.DataFrame:
    """Tabla de competencias con los números ya formateados en español."""
    tabla = pd.DataFrame({
        "Competencia": competencias["Competencia"],
        "Puntaje": [porcentaje(v) for v in competencias["puntaje"]],
        "Intervalo 95 %": [f"{porcentaje(a)} a {porcentaje(b)}" for a, b in zip(competencias["ic_inf"],
                                                                                  competencias["ic_sup"])],
        "Meta": [porcentaje(v, 0) for v in competencias["meta"]],
        "Brecha": [_puntos(v) for v in competencias["brecha"]],
        "n": competencias["n"].astype(int),
    })
    if competencias["referencia"].notna().any():
        tabla.insert(2, "Equipo", [porcentaje(v) for v in competencias["referencia"]])
    return tabla


def _agentes_texto(agentes: pd.DataFrame, minimo: int) -> pd.DataFrame:
    """Tabla de agentes con el puntaje en español, o la raya y el motivo si no llega a ``minimo`` auditorías."""
    return agentes.assign(Auditorías=[numero(n, 0) for n in agentes["Auditorías"]],
                          Puntaje=[f"{RAYA} (menos de {minimo} auditorías)" if pd.isna(p) else porcentaje(p)
                                   for p in agentes["Puntaje"]])


def _progreso_texto(progreso: pd.DataFrame) -> pd.DataFrame:
    """Tabla de progreso con los números formateados en español."""
    return pd.DataFrame({"Competencia": progreso["Competencia"],
                         "Ronda anterior": [porcentaje(v) for v in progreso["antes"]],
                         "Ronda actual": [porcentaje(v) for v in progreso["despues"]],
                         "Cambio": [_puntos(v) for v in progreso["cambio"]],
                         "Lectura": progreso["veredicto"]})


def a_html(informe: Informe) -> str:
    """El informe como página HTML autocontenida en español (sin archivos ni scripts externos)."""
    e = html.escape
    partes = [f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>{e(informe.titulo)}</title>'
              f"<style>{_ESTILO}</style></head><body>",
              f"<h1>{e(informe.titulo)}</h1><p class='sub'>{e(informe.periodo)}</p>"]
    partes += [f"<p class='aviso'>{e(aviso)}</p>" for aviso in informe.avisos]
    partes.append("<div class='tarjetas'>" + "".join(
        f"<div class='tarjeta'>{e(dato.nombre)}<b>{e(dato.texto())}</b></div>" for dato in informe.resumen) + "</div>")
    if not informe.competencias.empty:
        ordenadas = informe.competencias.sort_values("brecha", ascending=False)
        partes += ["<h2>Resultados por competencia</h2>",
                   "<p class='nota'>Barra: puntaje medio (0 % = la peor calificación de la escala, 100 % = la mejor). "
                   "Línea negra fina: intervalo de confianza del 95 %. Línea punteada: meta. "
                   + ("Círculo: puntaje del equipo. " if ordenadas["referencia"].notna().any() else "")
                   + "Rojo: brecha clara; ámbar: bajo la meta, pero dentro del margen de error; verde: cumple.</p>",
                   _svg_barras(ordenadas), _tabla_html(_competencias_texto(ordenadas), ("Puntaje", "Equipo", "Meta",
                                                                                          "Brecha", "n"))]
    partes.append(f"<h2>Progreso ({e(informe.rondas)})</h2>")
    partes.append(_tabla_html(_progreso_texto(informe.progreso), ("Ronda anterior", "Ronda actual", "Cambio"))
                  if not informe.progreso.empty else "<p>No hay dos rondas con auditorías suficientes para comparar.</p>")
    partes.append("<h2>Plan de capacitación</h2>")
    partes.append(_tabla_html(informe.plan.assign(Brecha=[_puntos(b) for b in informe.plan["Brecha"]]), ("Brecha",))
                  if not informe.plan.empty
                  else "<p>No hay brechas claras frente a la meta: mantener el nivel actual.</p>")
    if not informe.agentes.empty:
        partes += ["<h2>Agentes del equipo</h2>", _tabla_html(_agentes_texto(informe.agentes, informe.minimo),
                                                              ("Auditorías", "Puntaje"))]
    partes.append(
        "<h2>Cómo leer este informe</h2><p class='nota'>Los puntajes vienen de auditorías de servicio convertidas a "
        "una escala común (1–5 → (v − 1)/4; 0–100 → v/100; cumple = 1, no cumple = 0). La brecha es la meta "
        "menos "
        "el puntaje: positiva si no se llega a la meta. Una brecha es clara si todo su intervalo de confianza del "
        "95 % queda por encima de cero. El progreso compara dos rondas con la prueba t de Welch, corregida por "
        f"comparaciones múltiples (Benjamini-Hochberg). No se muestran cifras de personas con menos de "
        f"{informe.minimo} auditorías. La relación entre competencias y satisfacción de los clientes es una "
        "asociación observada, no una prueba de causa.</p></body></html>")
    return "".join(partes)


# ---------------------------------------------------------------------------
# Tablas en español para las páginas
# ---------------------------------------------------------------------------

def _intervalo(inferior: float, superior: float) -> str:
    """Intervalo en porcentaje: '30,2 % a 78,2 %' (raya si falta)."""
    return RAYA if pd.isna(inferior) else f"{porcentaje(inferior)} a {porcentaje(superior)}"


def texto_brechas(tabla: pd.DataFrame, titulo_grupo: str) -> pd.DataFrame:
    """Tabla de ``competencias.brechas`` con números en español, de mayor a menor brecha.

    Las cifras con muestra insuficiente se muestran como raya.
    """
    datos = tabla.sort_values(["suficiente", "brecha"], ascending=False, kind="stable")
    ok = datos["suficiente"].to_numpy()
    return pd.DataFrame({
        titulo_grupo: datos["etiqueta"].to_numpy(),
        "Competencia": datos["nombre_competencia"].to_numpy(),
        "Puntaje": [porcentaje(v) if s else RAYA for v, s in zip(datos["puntaje"], ok)],
        "IC 95 %": [_intervalo(a, b) if s else RAYA for a, b, s in zip(datos["ic_inf"], datos["ic_sup"], ok)],
        "Meta": [porcentaje(v, 0) for v in datos["meta"]],
        "Brecha": [_puntos(v) if s else RAYA for v, s in zip(datos["brecha"], ok)],
        "n": datos["n"].astype(int).to_numpy(),
        "Lectura": [competencias.lectura_brecha(b, i, s) for b, i, s in zip(datos["brecha"], datos["brecha_inf"], ok)],
    })


def texto_prioridades(tabla: pd.DataFrame, resultado: competencias.Resultado, titulo_grupo: str) -> pd.DataFrame:
    """Tabla de ``competencias.prioridades`` en español: brecha, impacto por 10 puntos y prioridad."""
    formato = lambda v: cambio_segun_unidad(v, resultado.unidad)  # noqa: E731 - formato del resultado
    return pd.DataFrame({
        titulo_grupo: tabla["etiqueta"].to_numpy(),
        "Competencia": tabla["nombre_competencia"].to_numpy(),
        "Brecha": [_puntos(v) for v in tabla["brecha"]],
        f"Impacto en {resultado.nombre} por 10 pts": [formato(v / 10) for v in tabla["impacto"]],
        f"Prioridad ({resultado.nombre} en juego)": [formato(v) for v in tabla["prioridad"]],
        "Clara": ["Sí" if c else "No" for c in tabla["clara"]],
    })


def texto_impactos(impactos: pd.DataFrame, resultado: competencias.Resultado) -> pd.DataFrame:
    """Tabla de ``competencias.impacto`` en español, por 10 puntos de competencia."""
    formato = lambda v: cambio_segun_unidad(v / 10, resultado.unidad)  # noqa: E731 - formato del resultado
    datos = impactos.sort_values("impacto", ascending=False, na_position="last")
    return pd.DataFrame({
        "Competencia": datos["nombre_competencia"].to_numpy(),
        f"Cambio en {resultado.nombre} por 10 pts": [formato(v) for v in datos["impacto"]],
        "IC 95 %": [RAYA if pd.isna(a) else f"{formato(a)} a {formato(b)}"
                    for a, b in zip(datos["ic_inf"], datos["ic_sup"])],
        "Valor p": [valor_p(v) for v in datos["p"]],
        "Agentes": datos["n_agentes"].astype(int).to_numpy(),
        "Respuestas": [numero(v, 0) for v in datos["n_respuestas"]],
    })


def texto_progreso(tabla: pd.DataFrame, titulo_grupo: str) -> pd.DataFrame:
    """Tabla de ``capacitacion.progreso`` en español: puntajes de las dos rondas, cambio y lectura."""
    return pd.DataFrame({
        titulo_grupo: tabla["etiqueta"].to_numpy(),
        "Competencia": tabla["nombre_competencia"].to_numpy(),
        "Ronda anterior": [porcentaje(v) for v in tabla["puntaje_antes"]],
        "n anterior": tabla["n_antes"].astype(int).to_numpy(),
        "Ronda actual": [porcentaje(v) for v in tabla["puntaje_despues"]],
        "n actual": tabla["n_despues"].astype(int).to_numpy(),
        "Cambio": [_puntos(v) for v in tabla["cambio"]],
        "q (BH)": [numero(v, 3) for v in tabla["q"]],
        "Lectura": tabla["veredicto"].to_numpy(),
    })


def texto_sesgos(sesgos: pd.DataFrame) -> pd.DataFrame:
    """Tabla de ``capacitacion.sesgo_auditores`` en español."""
    return pd.DataFrame({
        "Auditor": sesgos["auditor"].to_numpy(),
        "Desvío": [_puntos(v) for v in sesgos["desvio"]],
        "IC 95 %": [RAYA if pd.isna(a) else f"{_puntos(a)} a {_puntos(b)}"
                    for a, b in zip(sesgos["ic_inf"], sesgos["ic_sup"])],
        "Agentes comparados": sesgos["agentes"].astype(int).to_numpy(),
        "Calificaciones": [numero(v, 0) for v in sesgos["calificaciones"]],
        "Lectura": sesgos["lectura"].to_numpy(),
    })


def texto_acuerdo(acuerdo: pd.DataFrame, nombres: pd.Series) -> pd.DataFrame:
    """Tabla de ``competencias.acuerdo_auditores`` en español; ``nombres`` traduce código → nombre."""
    return pd.DataFrame({
        "Competencia": acuerdo["competencia"].map(nombres).fillna(acuerdo["competencia"]).to_numpy(),
        "Alfa de Krippendorff": [numero(v, 3) for v in acuerdo["alfa"]],
        "IC 95 % (bootstrap)": [RAYA if pd.isna(a) else f"{numero(a, 2)} a {numero(b, 2)}"
                                for a, b in zip(acuerdo["ic_inf"], acuerdo["ic_sup"])],
        "Interacciones": acuerdo["unidades"].astype(int).to_numpy(),
        "Lectura (Landis y Koch)": acuerdo["lectura"].to_numpy(),
    })


def texto_sesiones(sesiones: pd.DataFrame) -> pd.DataFrame:
    """Sesiones de ``capacitacion.plan_capacitacion`` para mostrar: tema, cuántos, competencias y los primeros
    participantes (la lista entera de cada uno está en el plan por agente o equipo)."""
    return sesiones.rename(columns={"tema": "Tema", "participantes": "Participantes",
                                    "quienes_breve": "Quiénes (por prioridad)", "competencias": "Competencias"})[
        ["Tema", "Participantes", "Competencias", "Quiénes (por prioridad)"]]


def texto_necesidades(necesidades: pd.DataFrame, titulo_grupo: str) -> pd.DataFrame:
    """Necesidades de ``capacitacion.plan_capacitacion`` para mostrar, por grupo y prioridad."""
    return pd.DataFrame({titulo_grupo: necesidades["etiqueta"].to_numpy(),
                         "Prioridad": necesidades["orden"].astype(int).to_numpy(),
                         "Competencia": necesidades["nombre_competencia"].to_numpy(),
                         "Brecha": [_puntos(v) for v in necesidades["brecha"]],
                         "Temas": necesidades["temas"].to_numpy()})


def texto_ejemplo(calculo: competencias.PuntajeAuditoria, originales: pd.DataFrame,
                  estandar: pd.DataFrame) -> pd.DataFrame:
    """Cálculo del puntaje de una auditoría, fila por competencia, con números en español.

    ``originales`` trae ``competencia`` y ``valor`` (en la escala de la auditoría); ``estandar``,
    ``competencia`` y ``nombre``.
    """
    detalle = calculo.detalle.merge(originales[["competencia", "valor"]], on="competencia", how="left") \
        .merge(estandar[["competencia", "nombre"]], on="competencia", how="left")
    return pd.DataFrame({
        "Competencia": detalle["nombre"].fillna(detalle["competencia"]).to_numpy(),
        "Valor original": [("N/A" if pd.isna(v) else numero(v, 0)) for v in detalle["valor"]],
        "Escala común": [("N/A" if pd.isna(v) else porcentaje(v, 0)) for v in detalle["valor_comun"]],
        "Peso": [numero(v, 1) for v in detalle["peso"]],
        "Crítica": ["Sí" if c else "No" for c in detalle["critica"]],
        "Peso efectivo": [porcentaje(v, 1) for v in detalle["peso_efectivo"]],
        "Aporte": [porcentaje(v, 1) for v in detalle["aporte"]],
    })


# ---------------------------------------------------------------------------
# Excel y ZIP
# ---------------------------------------------------------------------------

def _hoja(libro: Workbook, titulo: str, tabla: pd.DataFrame, formatos: Mapping[str, str]) -> None:
    """Hoja con la tabla, encabezado en negrita, columnas anchas y el formato de número de ``formatos``
    (columna → formato de Excel) en sus columnas: las cifras son números, nunca textos."""
    hoja = libro.create_sheet(titulo)
    hoja.append(list(tabla.columns))
    for celda in hoja[1]:
        celda.font = Font(bold=True)
        celda.fill = PatternFill("solid", fgColor="F3F6F9")
    for fila in tabla.itertuples(index=False):
        hoja.append([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in fila])
    for i, columna in enumerate(tabla.columns, 1):
        letra = get_column_letter(i)
        largo = max([len(str(columna))] + [len(str(v)) for v in tabla[columna]])
        hoja.column_dimensions[letra].width = max(12, min(60, largo + 2))
        for celda in hoja[letra][1:] if columna in formatos else ():
            celda.number_format = formatos[columna]


def _en_puntos(tabla: pd.DataFrame, *columnas: str) -> pd.DataFrame:
    """``tabla`` con las diferencias de ``columnas`` (escala común) en puntos porcentuales, como en el HTML."""
    return tabla.assign(**{c: 100 * tabla[c].astype(float) for c in columnas})


def _hoja_resumen(libro: Workbook, informe: Informe) -> None:
    """La hoja «Resumen»: título, periodo, avisos y cada ``Dato`` como número con su formato."""
    resumen = libro.active
    resumen.title = "Resumen"
    resumen.append([informe.titulo])
    resumen["A1"].font = Font(bold=True, size=14)
    resumen.append([informe.periodo])
    for aviso in informe.avisos:
        resumen.append([aviso])
    resumen.append([])
    for dato in informe.resumen:
        valores = list(dato.valor) if dato.unidad == "intervalo" else [dato.valor]
        resumen.append([dato.nombre, *valores])
        for celda in resumen[resumen.max_row][1:]:
            celda.number_format = _FORMATOS_DATO.get(dato.unidad, "General")
    resumen.column_dimensions["A"].width = 42
    resumen.column_dimensions["B"].width = resumen.column_dimensions["C"].width = 16


#: Formato de Excel de cada unidad de un ``Dato`` (un intervalo ocupa dos celdas con formato de porcentaje).
_FORMATOS_DATO = {"cantidad": EXCEL_ENTERO, "proporcion": EXCEL_PORCENTAJE, "intervalo": EXCEL_PORCENTAJE}


def libro_excel(informe: Informe) -> Workbook:
    """El informe como libro de openpyxl: resumen, competencias (con gráfico), progreso, plan y agentes.

    Cada cifra es un número con formato de Excel (puntajes en %, brechas y cambios en puntos, como
    en el HTML; conteos enteros). Sale a un archivo por ``datos.cuentas.exportar.libro``, que
    neutraliza las fórmulas (un agente o un tema llamado ``=HYPERLINK(…)`` queda como texto).
    """
    libro = Workbook()
    _hoja_resumen(libro, informe)
    porcentajes = {c: EXCEL_PORCENTAJE for c in ("Puntaje", "IC 95 % inferior", "IC 95 % superior", "Meta",
                                                  "Equipo", "Ronda anterior", "Ronda actual")}
    formatos = {**porcentajes, "Brecha": EXCEL_PUNTOS, "Cambio": EXCEL_PUNTOS, "n": EXCEL_ENTERO,
                "Auditorías": EXCEL_ENTERO, "Prioridad": EXCEL_ENTERO}
    if not informe.competencias.empty:
        tabla = _en_puntos(informe.competencias, "brecha").rename(columns={
            "puntaje": "Puntaje", "ic_inf": "IC 95 % inferior", "ic_sup": "IC 95 % superior", "meta": "Meta",
            "brecha": "Brecha", "referencia": "Equipo"}).drop(columns="brecha_inf")
        tabla = tabla.dropna(axis=1, how="all")
        _hoja(libro, "Competencias", tabla, formatos)
        _grafico(libro["Competencias"], len(tabla))
    if not informe.progreso.empty:
        _hoja(libro, "Progreso", _en_puntos(informe.progreso, "cambio").rename(columns={
            "antes": "Ronda anterior", "despues": "Ronda actual", "cambio": "Cambio", "veredicto": "Lectura"}),
              formatos)
    _hoja(libro, "Plan", _en_puntos(informe.plan, "Brecha"), formatos)
    if not informe.agentes.empty:
        nota = f"Menos de {informe.minimo} auditorías: sin cifras individuales"
        _hoja(libro, "Agentes", informe.agentes.assign(Nota=["" if pd.notna(p) else nota
                                                             for p in informe.agentes["Puntaje"]]), formatos)
    return libro


def _grafico(hoja, filas: int) -> None:
    """Gráfico de barras nativo de Excel: puntaje y meta por competencia."""
    grafico = BarChart()
    grafico.type = "bar"
    grafico.title = "Puntaje frente a la meta"
    grafico.y_axis.number_format = "0%"
    grafico.height, grafico.width = 2 + 0.6 * filas, 22
    grafico.add_data(Reference(hoja, min_col=2, min_row=1, max_row=filas + 1), titles_from_data=True)
    grafico.add_data(Reference(hoja, min_col=5, min_row=1, max_row=filas + 1), titles_from_data=True)
    grafico.set_categories(Reference(hoja, min_col=1, min_row=2, max_row=filas + 1))
    hoja.add_chart(grafico, f"A{filas + 4}")


def nombre_de_archivo(texto: str) -> str:
    """Nombre de archivo seguro, sin tildes ni espacios.

    >>> nombre_de_archivo("Equipo Pacífico / Sur")
    'equipo_pacifico_sur'
    """
    plano = unicodedata.normalize("NFKD", texto).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plano.lower()).strip("_") or "informe"


def archivos_de_informes(informes: list[Informe]) -> dict[str, str | Workbook]:
    """El HTML y el libro de cada informe por nombre de archivo (``informe_<destinatario>.html`` y ``.xlsx``).

    ``datos.cuentas.exportar.a_zip`` los escribe en un ZIP.
    """
    archivos: dict[str, str | Workbook] = {}
    for informe in informes:
        base = f"informe_{nombre_de_archivo(informe.destinatario)}"
        archivos[f"{base}.html"] = a_html(informe)
        archivos[f"{base}.xlsx"] = libro_excel(informe)
    return archivos
