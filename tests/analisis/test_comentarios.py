"""Comentarios: limpieza y enmascarado, temas, sentimiento, qué duele, consultas y la página."""

import math
from datetime import date

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from tests import ARCHIVOS
from analisis import comentarios as cm
from analisis.texto import Terminos, enmascarar, enmascarar_todos, limpiar, normalizar, palabras_vacias
from datos import demo
from datos.demo import encuestas as encuestas_demo
from datos.consultas import comentarios as consultas_comentarios
from datos.cuentas import exportar
from datos.ajustes.temas import guardar_temas
from datos.consultas.filtros import Filtros
from analisis.errores import MuestraInsuficiente
from tests.apptest import abrir, abrir_pestana, elegir_periodo, sin_errores

DATOS = ARCHIVOS
RESENAS = {negocio: DATOS / f"encuestas_resenas_{negocio}.csv" for negocio in ("restaurante", "telecom")}


# ---------------------------------------------------------------------------
# Enmascarado y normalización
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("texto, esperado", [
    ("Escríbame a josé.pérez@correo.com.mx, por favor.", "Escríbame a [correo], por favor."),
    ("(ana_maría+quejas@empresa.co)", "([correo])"),
    ("¿Me llaman al +52 (55) 1234-5678?", "¿Me llaman al [teléfono]?"),
    ("Teléfono: 300 123 4567.", "Teléfono: [teléfono]."),
    ("llámenme al (01) 555.12.34 ¡ya!", "llámenme al [teléfono] ¡ya!"),
    ("Soy María (DNI: 12345678Z).", "Soy María (DNI: [documento])."),
    ("mi dni es 30.123.456, gracias", "mi dni es [documento], gracias"),
    ("RUT 12.345.678-K; atendió Óscar", "RUT [documento]; atendió Óscar"),
    ("¿Sirve mi CURP GARC850101HDFRRL09?", "¿Sirve mi CURP [documento]?"),
    ("CURP: garc850101hdfrrl09.", "CURP: [documento]."),
    ("NIE X-1234567-L, señor", "NIE [documento], señor"),
    ("Cédula de ciudadanía 1.020.304.050: pésimo", "Cédula de ciudadanía [documento]: pésimo"),
    ("Pagué con 4111-1111-1111-1111 y me cobraron dos veces", "Pagué con [tarjeta] y me cobraron dos veces"),
    ("Tarjeta «5500 0000 0000 0004»!", "Tarjeta «[tarjeta]»!"),
])
def test_enmascara_cada_dato_personal(texto, esperado):
    assert enmascarar(texto) == esperado
    assert enmascarar(esperado) == esperado  # idempotente


@pytest.mark.parametrize("texto", [
    "Esperé 45 minutos, llamé 3 veces.", "Costó $15.000 y tardó 2 días", "Fui el 12/03/2026 y el 12-03-2026",
    "Pedido del 2026-03-12, nº 4521", "Sin datos personales", "",
])
def test_no_enmascara_lo_que_no_es_personal(texto):
    assert enmascarar(texto) == texto


def test_enmascarar_vacios_y_muchos():
    assert enmascarar(None) is None
    assert enmascarar_todos(["a@b.co", None, float("nan"), "a@b.co"]).tolist() == ["[correo]", None, None, "[correo]"]


@pytest.mark.parametrize("texto, esperado", [
    ("¡¡Pésimo SERVICIO!!!", "pesimo servicio"),
    ("Llegó tardísimoooo… otra vez", "llego tardisimo | otra vez"),
    ("El año pasado fue mejor", "el año pasado fue mejor"),
    ("Jajajajaja qué buenooo 😂😂", "jaja que bueno 😂 😂"),
    ("Bien :) pero lento :(", "bien 🙂 pero lento 🙁"),
    ("Me encantó ❤️👍🏽", "me encanto ❤ 👍"),
    ("Mi correo es [correo], llámenme", "mi correo es | llamenme"),
    ("Ünico, cañería", "unico | cañeria"),
    ("", ""),
    (None, ""),
])
def test_normalizar(texto, esperado):
    assert normalizar(texto) == esperado


def test_limpiar_enmascara_antes_de_normalizar():
    assert limpiar(["Escríbanme a JOSE@CORREO.COM ya!!", None]).tolist() == ["escribanme a ya", ""]


def test_palabras_vacias_del_repositorio():
    vacias = palabras_vacias()
    assert 250 <= len(vacias) <= 400
    assert {"de", "que", "el", "la", "porque", "tambien", "estaba"} <= vacias
    assert not {"entrega", "tarde", "precio", "atencion"} & vacias
    assert all(p == normalizar(p) for p in vacias)


def test_terminos_no_cruzan_una_pausa():
    analizar = Terminos(palabras_vacias())
    assert analizar("la entrega fue buena | pero el precio") == ["entrega", "buena", "entrega buena", "precio"]
    assert Terminos(frozenset())("no llego") == ["no", "llego", "no llego"]


# ---------------------------------------------------------------------------
# Tono de una calificación
# ---------------------------------------------------------------------------

def test_tono_de_calificacion_csat_nps_y_ces():
    assert cm.tono_de_calificacion([1, 2, 3, 4, 5]).tolist() == ["negativo", "negativo", "neutral", "positivo",
                                                                 "positivo"]
    assert cm.tono_de_calificacion([0, 6, 7, 8, 9, 10], (0, 10)).tolist() == [
        "negativo", "negativo", "neutral", "neutral", "positivo", "positivo"]
    assert cm.tono_de_calificacion([1, 2, 3, 5, 6, 7], (1, 7)).tolist() == [
        "negativo", "negativo", "neutral", "neutral", "positivo", "positivo"]
    assert cm.tono_de_calificacion([None, float("nan")]).tolist() == [None, None]
    assert cm.tono_de_calificacion([]).tolist() == []


def test_tono_de_calificacion_valida():
    with pytest.raises(ValueError, match="'escala'"):
        cm.tono_de_calificacion([1], (5, 1))
    with pytest.raises(ValueError, match="fuera de la escala"):
        cm.tono_de_calificacion([6], (1, 5))


def test_tono_de_encuestas_usa_csat_y_si_falta_nps():
    tabla = pd.DataFrame({"csat": [5, None, None, 3], "nps": [0, 3, None, 10]})
    assert cm.tonos_de_encuestas(tabla).tolist() == ["positivo", "negativo", None, "neutral"]


# ---------------------------------------------------------------------------
# Sentimiento
# ---------------------------------------------------------------------------

def _resenas(negocio: str) -> pd.DataFrame:
    tabla = pd.read_csv(RESENAS[negocio], sep=";")
    return tabla.rename(columns={tabla.columns[1]: "nota", tabla.columns[2]: "comentario"})


@pytest.fixture(scope="module")
def modelo_restaurante():
    """Modelo aprendido de las 150 reseñas de restaurante (unos 125 ejemplos negativos o positivos: mínimo 100)."""
    return cm.entrenar_sentimiento(_resenas("restaurante")["comentario"], _resenas("restaurante")["nota"], minimo=100)


def test_pocos_apartados_distintos_no_dan_exactitud(modelo_restaurante):
    """Con 150 reseñas, los apartados distintos de los de entrenamiento no llegan al mínimo: no se inventa una cifra."""
    assert math.isnan(modelo_restaurante.exactitud_validacion)
    assert modelo_restaurante.n_validacion < cm.MINIMO_VALIDACION
    assert cm.exactitud_para_mostrar(modelo_restaurante)["valor"] == "—"
    assert "no se puede medir" in cm.exactitud_para_mostrar(modelo_restaurante)["explicacion"]


def test_predecir_da_tonos_y_vacio_es_neutral(modelo_restaurante):
    modelo = modelo_restaurante
    predichos = modelo.predecir(["Pésimo, nunca vuelvo, todo frío y caro", "Delicioso, excelente atención", "", None,
                                 "zzzz qqqq"])
    assert predichos.tolist()[:2] == ["negativo", "positivo"]
    assert predichos.tolist()[2:] == ["neutral", "neutral", "neutral"]  # sin ninguna palabra conocida
    assert set(modelo.predecir(_resenas("telecom")["comentario"])) <= set(cm.TONOS)
    assert modelo.predecir([]).tolist() == []


def test_el_modelo_entrenado_no_guarda_los_textos(modelo_restaurante):
    """Al entrenar, cada texto se analiza una vez (``RasgosTono.recordando``); el modelo entrenado lo ha olvidado."""
    analizador = modelo_restaurante.tuberia["rasgos"].analyzer
    assert analizador._recordados is None
    assert modelo_restaurante.predecir(["Delicioso, excelente atención"]).tolist() == ["positivo"]


def test_casi_duplicados_se_reconocen():
    from analisis.comentarios._sentimiento import casi_duplicados
    entrenamiento = limpiar(["La entrega llegó tarde, pedido 4521", "Excelente atención del asesor"])
    apartados = limpiar(["la entrega llego tarde pedido 99", "¡Excelente atención del asesor!!",
                         "El técnico nunca vino a instalar"])
    assert casi_duplicados(entrenamiento, apartados).tolist() == [True, True, False]


def test_sentimiento_con_pocos_ejemplos_no_adivina():
    textos = [f"muy mal servicio {i}" for i in range(60)] + [f"excelente servicio {i}" for i in range(60)]
    with pytest.raises(MuestraInsuficiente, match="se necesitan al menos 200"):
        cm.entrenar_sentimiento(textos, [1] * 60 + [5] * 60)
    with pytest.raises(MuestraInsuficiente, match="hay 0 de nota baja"):
        cm.entrenar_sentimiento(textos * 2, [5] * 240)
    with pytest.raises(ValueError, match="'umbral'"):
        cm.entrenar_sentimiento(textos, [1] * 60 + [5] * 60, umbral=0.4)
    with pytest.raises(ValueError, match="mismo largo"):
        cm.entrenar_sentimiento(textos, [1, 5])


# ---------------------------------------------------------------------------
# Temas
# ---------------------------------------------------------------------------

_ASUNTOS = {
    "precio": ["El precio es muy caro", "Me cobraron un precio excesivo", "Tarifa cara y precio injusto",
               "El cobro de la factura fue caro"],
    "entrega": ["La entrega llegó tarde", "El pedido llegó tarde y dañado", "Entrega demorada, pedido tarde",
                "El paquete del pedido llegó dañado"],
    "atencion": ["La asesora fue muy amable", "Atención amable del asesor", "El asesor me atendió con amabilidad",
                 "Asesora amable y paciente"],
}


def _corpus(repeticiones: int = 10) -> tuple[list[str], list[str]]:
    """Comentarios de tres asuntos claros (con variantes) y el asunto de cada uno."""
    textos, asuntos = [], []
    for i in range(repeticiones):
        for asunto, frases in _ASUNTOS.items():
            for frase in frases:
                textos.append(f"{frase}{'!' * (i % 3)} {'de verdad' if i % 2 else ''}")
                asuntos.append(asunto)
    return textos, asuntos


def test_temas_encuentra_asuntos_claros():
    textos, asuntos = _corpus()
    resultado = cm.temas(textos, 3)
    assert resultado.k == 3 and resultado.estabilidad == {}
    assert adjusted_rand_score(asuntos, resultado.etiquetas) > 0.9
    palabras = {" ".join(p) for p in resultado.palabras.values()}
    for clave in ("precio", "entrega", "asesor"):
        assert sum(clave in p for p in palabras) == 1
    assert all(n and n[0].isupper() for n in resultado.nombres.values())
    assert any("llegó" in p for p in palabras)  # tildes de los textos originales
    assert len(set(resultado.firmas.values())) == 3


def test_temas_automatico_elige_el_mas_estable():
    textos, _ = _corpus()
    resultado = cm.temas(textos, candidatos=range(2, 7))
    assert set(resultado.estabilidad) <= set(range(2, 7))
    mejor = max(resultado.estabilidad.values())
    casi_tan_estables = [k for k, valor in resultado.estabilidad.items() if valor >= 0.9 * mejor]
    assert resultado.k == max(casi_tan_estables)
    assert all(0 <= v <= 1 for v in resultado.estabilidad.values())


def test_temas_sin_vocabulario_da_menos_uno_y_valida():
    textos, _ = _corpus()
    resultado = cm.temas(textos + ["", "zzz qqq"], 3)
    assert resultado.etiquetas[-2:].tolist() == [cm.SIN_TEMA, cm.SIN_TEMA]
    assert resultado.transformar(["El pedido llegó tarde", None])["tema"].iloc[1] == cm.SIN_TEMA
    with pytest.raises(MuestraInsuficiente, match="al menos 50"):
        cm.temas(textos[:40])
    with pytest.raises(MuestraInsuficiente, match="al menos 50"):
        cm.temas([""] * 100)
    with pytest.raises(MuestraInsuficiente, match="no comparten"):
        cm.temas([f"palabra{i}" for i in range(60)])
    with pytest.raises(ValueError, match="'n_temas'"):
        cm.temas(textos, 1)
    with pytest.raises(ValueError, match="'grupos'"):
        cm.temas(textos, 3, grupos=["a"])
    with pytest.raises(MuestraInsuficiente, match="como mucho"):
        cm.temas(textos, 30)


def test_grupos_equilibran_el_ajuste():
    """Las quejas raras (10 de 130) forman su propio tema si cada tono pesa lo mismo."""
    elogios = [f"{f} {'muy' if i % 2 else ''}" for i in range(40) for f in ("Excelente atención del asesor",
                                                                            "Asesor amable y rápido", "Muy buena "
                                                                            "atención")]
    quejas = [f"La factura vino con un cobro duplicado {i % 3}" for i in range(10)]
    textos = elogios + quejas
    tonos = ["positivo"] * len(elogios) + ["negativo"] * len(quejas)
    resultado = cm.temas(textos, 2, grupos=tonos)
    tema_queja = resultado.etiquetas[-1]
    assert (resultado.etiquetas[-10:] == tema_queja).all()
    assert "cobro" in " ".join(resultado.palabras[tema_queja])


@pytest.fixture(scope="module")
def resultado_corpus():
    textos, _ = _corpus()
    return cm.temas(textos, 3)


def _tema_de(resultado, palabra):
    return next(t for t, p in resultado.palabras.items() if palabra in " ".join(p))


def test_nombres_y_uniones_guardados(resultado_corpus):
    r = resultado_corpus
    precio, entrega, atencion = (_tema_de(r, p) for p in ("precio", "entrega", "asesor"))
    filas = cm.cambios_de_temas(r, {precio: "Cobros", entrega: r.automaticos[entrega], atencion: " "},
                                {entrega: precio})
    guardados = pd.DataFrame(filas, columns=["firma", "nombre", "unir_con", "palabras"])
    assert guardados.set_index("firma").loc[r.firmas[precio], "nombre"] == "Cobros"
    assert guardados["nombre"].isna().sum() == 2  # automático o vacío: sin nombre propio
    ajustado = cm.con_guardados(r, guardados)
    assert ajustado.nombres[precio] == "Cobros"
    assert ajustado.uniones == {entrega: precio}
    assert entrega not in set(ajustado.etiquetas) and (ajustado.etiquetas == precio).sum() == 80
    assert set(r.palabras[entrega]) <= set(ajustado.palabras[precio])
    assert (ajustado.transformar(["El pedido llegó tarde"])["tema"] == precio).all()


def test_nombre_guardado_se_hereda_por_parecido(resultado_corpus):
    r = resultado_corpus
    precio = _tema_de(r, "precio")
    claves = sorted(r.claves[precio])
    parecido = "|".join(claves[:-2] + ["otra", "mas"])  # 8 de 10 palabras en común: Jaccard 8/12
    guardados = pd.DataFrame({"firma": ["vieja"], "nombre": ["Precios"], "unir_con": [None], "palabras": [parecido]})
    assert cm.con_guardados(r, guardados).nombres[precio] == "Precios"
    lejano = pd.DataFrame({"firma": ["x"], "nombre": ["Nada"], "unir_con": [None], "palabras": ["otra|cosa"]})
    assert cm.con_guardados(r, lejano).nombres == r.nombres


def test_uniones_en_ciclo_se_descartan(resultado_corpus):
    r = resultado_corpus
    a, b = 0, 1
    guardados = pd.DataFrame({"firma": [r.firmas[a], r.firmas[b]], "nombre": [None, None],
                              "unir_con": [r.firmas[b], r.firmas[a]], "palabras": ["", ""]})
    assert cm.con_guardados(r, guardados).uniones == {}


def test_guardar_temas_ida_y_vuelta(con_memoria, almacen_memoria, resultado_corpus):
    r = resultado_corpus
    version = almacen_memoria.version_datos()
    guardar_temas(con_memoria, cm.cambios_de_temas(r, {0: "Tema propio"}, {1: 0}), autor="ana")
    guardar_temas(con_memoria, cm.cambios_de_temas(r, {0: "Otro nombre"}, {1: 0}), autor="ana")
    guardados = consultas_comentarios.temas_comentarios(almacen_memoria.ibis()).to_pandas()
    assert len(guardados) == 3
    ajustado = cm.con_guardados(r, guardados)
    assert ajustado.nombres[0] == "Otro nombre" and ajustado.uniones == {1: 0}
    assert almacen_memoria.version_datos() == version  # un nombre no cambia los datos
    with pytest.raises(ValueError, match="'unir_con'"):
        guardar_temas(con_memoria, [("f", None, "f", "")], autor="ana")
    with pytest.raises(ValueError, match="nombre"):
        guardar_temas(con_memoria, [("f", "x" * 81, None, "")], autor="ana")


# ---------------------------------------------------------------------------
# Qué duele, repartos y exportación (valores conocidos)
# ---------------------------------------------------------------------------

@pytest.fixture
def asignados_a_mano():
    """Tema 0: CSAT 1, 1, 2, 2, 4 · tema 1: CSAT 4, 5, 5, 4, 2 · uno sin tema (CSAT 3)."""
    return pd.DataFrame({
        "tema": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1],
        "csat": [1, 1, 2, 2, 4, 4, 5, 5, 4, 2, 3],
        "nps": [0, 2, 5, 6, 9, 10, 9, 8, 10, 3, 7],
        "canal": ["Chat"] * 6 + ["Correo"] * 5,
        "etapa_baja": ["Entrega"] * 5 + [None] * 6,
        "fecha": pd.to_datetime(["2026-01-05"] * 6 + ["2026-02-10"] * 5),
        "comentario": ["tarde"] * 5 + ["bien"] * 5 + ["x"],
        "afinidad": [0.9, 0.8, 0.7, 0.6, 0.5, 0.9, 0.8, 0.7, 0.6, 0.5, 0.0],
    }).assign(tono=lambda t: cm.tonos_de_encuestas(t), sentimiento=None)


class _Nombres:
    nombres = {0: "Retrasos", 1: "Amabilidad"}
    palabras = {0: ("tarde",), 1: ("bien",)}


def test_lo_que_duele_valores_conocidos(asignados_a_mano):
    duele = cm.lo_que_duele(asignados_a_mano, _Nombres(), muestra_minima=5).set_index("tema")
    fila = duele.loc[0]
    # CSAT con el tema: media 2, varianza 1,5 (n 5); sin él: 4, 5, 5, 4, 2, 3 → media 23/6, varianza 1,3667 (n 6)
    assert fila["dif_csat"] == pytest.approx(2 - 23 / 6)
    v1, v2 = 1.5 / 5, (sum((x - 23 / 6) ** 2 for x in (4, 5, 5, 4, 2, 3)) / 5) / 6
    gl = (v1 + v2) ** 2 / (v1 ** 2 / 4 + v2 ** 2 / 5)
    from scipy import stats
    margen = stats.t.ppf(0.975, gl) * math.sqrt(v1 + v2)
    assert (fila["csat_inf"], fila["csat_sup"]) == pytest.approx((2 - 23 / 6 - margen, 2 - 23 / 6 + margen))
    # NPS con el tema: 1 promotor, 4 detractores de 5 → −60; sin él: 3 promotores, 1 detractor de 6 → +33,3
    assert fila["dif_nps"] == pytest.approx(-60 - 100 * 2 / 6)
    # Notas bajas (CSAT 1–2): 4 del tema 0 y 1 del tema 1 → 4/5 frente a 1/6 del resto calificado
    assert (fila["en_negativos"], fila["en_resto"], fila["razon"]) == pytest.approx((0.8, 1 / 6, 4.8))
    assert fila["suficiente"] and fila["p_razon"] < 0.05
    assert duele.index.tolist() == [0, 1]  # ordenado por sobrerrepresentación
    assert cm.titular_duele(duele.reset_index()).startswith("Los comentarios con nota baja hablan sobre todo de "
                                                            "«Retrasos»: aparece 4,8 veces más")
    assert cm.tabla_duele(duele.reset_index())["Diferencia de NPS (IC 95 %)"].iloc[0].startswith("-93,3 (")


def test_resumen_y_repartos(asignados_a_mano):
    resumen = cm.resumen_temas(asignados_a_mano, _Nombres())
    assert resumen["tema"].tolist() == [0, 1, -1] and resumen["nombre"].iloc[-1] == "Sin tema reconocible"
    assert resumen.loc[0, "proporcion"] == pytest.approx(5 / 11)
    assert resumen.loc[0, "negativos"] == pytest.approx(4 / 5) and resumen.loc[0, "csat"] == pytest.approx(2)
    assert cm.tabla_temas(resumen)["% de los comentarios (IC 95 %)"].iloc[0].startswith("45,5 % (")
    por_canal = cm.temas_por(asignados_a_mano, "canal", _Nombres(), muestra_minima=6).set_index(["grupo", "tema"])
    assert por_canal.loc[("Chat", 0), "proporcion"] == pytest.approx(5 / 6)
    assert por_canal.loc[("Chat", 0), "suficiente"] and not por_canal.loc[("Correo", 1), "suficiente"]
    por_etapa = cm.temas_por(asignados_a_mano, "etapa_baja", _Nombres())
    assert por_etapa["n_grupo"].tolist() == [5]  # sin etapa no cuenta
    por_mes = cm.temas_en_el_tiempo(asignados_a_mano, _Nombres())
    assert sorted(por_mes["grupo"].dt.month.unique()) == [1, 2]
    with pytest.raises(ValueError, match="'columna'"):
        cm.temas_por(asignados_a_mano, "region", _Nombres())
    with pytest.raises(ValueError, match="'periodicidad'"):
        cm.temas_en_el_tiempo(asignados_a_mano, _Nombres(), periodicidad="año")


def test_resumen_de_etapa_y_ejemplos(asignados_a_mano):
    assert cm.resumen_de_etapa(asignados_a_mano, _Nombres(), "Entrega", minimo=4) == (
        "En Entrega, los 4 comentarios negativos hablan de: retrasos (100 %).")
    assert cm.resumen_de_etapa(asignados_a_mano, _Nombres(), "Entrega") is None  # menos de 10
    assert cm.resumenes_por_etapa(asignados_a_mano, _Nombres(), ["Entrega", "Solución"], minimo=4) == [
        "En Entrega, los 4 comentarios negativos hablan de: retrasos (100 %)."]
    assert cm.ejemplos(asignados_a_mano, 0, n=3) == ["tarde"]


def test_filtrar_y_exportar_enmascarado(asignados_a_mano):
    tabla = asignados_a_mano.assign(comentario=["=HYPERLINK(\"x\") a@b.com"] + ["ok"] * 10)
    assert len(cm.filtrar(tabla, temas=[0], tonos=["negativo"], segmentos={"canal": ["Chat"]})) == 4
    assert len(cm.filtrar(tabla)) == 11
    with pytest.raises(ValueError, match="'region'"):
        cm.filtrar(tabla, segmentos={"region": ["x"]})
    exportable = cm.para_exportar(tabla, _Nombres())
    assert exportable.columns.tolist()[:3] == ["Fecha", "Comentario", "Tema"]
    assert cm.para_mostrar(exportable)["CSAT"].tolist()[:2] == ["1", "1"]
    assert exportable["Comentario"].iloc[0] == "=HYPERLINK(\"x\") [correo]"
    assert exportable["Tema"].iloc[0] == "Retrasos"
    assert "'=HYPERLINK" in exportar.a_csv(exportable).decode("utf-8-sig")


def test_sentimiento_por_y_parte_negativa(asignados_a_mano):
    tabla = asignados_a_mano.assign(sentimiento=["negativo"] * 3 + ["positivo"] * 7 + [None])
    reparto = cm.sentimiento_por(tabla, "canal").set_index(["grupo", "sentimiento"])
    assert reparto.loc[("Chat", "negativo"), "proporcion"] == pytest.approx(0.5)
    assert reparto.loc[("Correo", "neutral"), "n"] == 0
    assert cm.parte_negativa(tabla).valor == pytest.approx(0.3)


def test_tablas_vacias():
    vacia = pd.DataFrame(columns=["tema", "csat", "nps", "tono", "comentario", "sentimiento", "canal", "afinidad"])
    assert cm.resumen_temas(vacia, _Nombres()).empty
    assert cm.lo_que_duele(vacia, _Nombres()).empty
    assert cm.temas_por(vacia, "canal", _Nombres()).empty
    assert cm.sentimiento_por(vacia).empty
    assert cm.titular_duele(cm.lo_que_duele(vacia, _Nombres())) is None


# ---------------------------------------------------------------------------
# Consultas
# ---------------------------------------------------------------------------

def _insertar_encuestas(con, filas):
    con.execute("INSERT INTO cargas (carga_id, tipo) VALUES (1, 'prueba') ON CONFLICT DO NOTHING")
    con.execute("INSERT INTO etapas (etapa, orden) VALUES ('Atención inicial', 1), ('Diagnóstico', 2), "
                "('Solución', 3), ('Entrega', 4), ('Seguimiento', 5) ON CONFLICT DO NOTHING")
    for respuesta, comentario, csat, etapas in filas:
        con.execute("INSERT INTO encuestas (respuesta_id, fecha, canal, csat, nps, comentario, carga_id) "
                    "VALUES (?, TIMESTAMP '2026-03-01 10:00', 'Chat', ?, NULL, ?, 1)", [respuesta, csat, comentario])
        for etapa, nota in etapas.items():
            con.execute("INSERT INTO encuesta_etapas VALUES (?, ?, ?, 1)", [respuesta, etapa, nota])


def test_consultas_de_comentarios(con_memoria, almacen_memoria):
    _insertar_encuestas(con_memoria, [
        ("E1", "La entrega llegó TARDE", 1, {"Entrega": 1, "Solución": 1, "Diagnóstico": 4}),
        ("E2", "Todo bien", 5, {"Entrega": 5, "Solución": 5}),
        ("E3", "   ", 3, {"Entrega": 2}),
        ("E4", None, 2, {}),
        ("E5", "Entregá tardía, ¡tarde!", 2, {"Seguimiento": 3, "Entrega": 4}),
    ])
    con = almacen_memoria.ibis()
    tabla = consultas_comentarios.comentarios_encuestas(con, Filtros()).to_pandas().set_index("respuesta_id")
    assert tabla.index.tolist() == ["E1", "E2", "E5"]  # sin comentarios vacíos
    assert tabla.loc["E1", "etapa_baja"] == "Solución"  # empate en 1: gana la anterior en la cadena
    assert pd.isna(tabla.loc["E2", "etapa_baja"])  # todas iguales: ninguna
    assert tabla.loc["E5", "etapa_baja"] == "Seguimiento" and tabla.loc["E5", "calificacion_baja"] == 3
    assert len(consultas_comentarios.comentarios_encuestas(con, Filtros(), limite=2).to_pandas()) == 2
    encontrados = consultas_comentarios.buscar_comentarios(con, Filtros(), "ENTREGA  tarde").to_pandas()
    assert sorted(encontrados["respuesta_id"]) == ["E1", "E5"]  # sin mayúsculas ni tildes, todas las palabras
    todos = consultas_comentarios.buscar_comentarios(con, Filtros(), "").to_pandas()
    assert todos["respuesta_id"].tolist()[0] in {"E1", "E2", "E5"}
    assert len(consultas_comentarios.buscar_comentarios(con, Filtros(), "tarde", limite=1).to_pandas()) == 1
    modelos = consultas_comentarios.comentarios_para_modelos(con).to_pandas()
    assert len(modelos) == 3 and modelos.columns.tolist() == ["comentario", "csat", "nps", "fecha", "cliente_id"]
    con_memoria.execute("UPDATE encuestas SET sucursal = 'Norte' WHERE respuesta_id = 'E1'")
    limitado = consultas_comentarios.comentarios_para_modelos(con, Filtros(sucursales=("Norte",))).to_pandas()
    assert limitado["comentario"].tolist() == ["La entrega llegó TARDE"]  # solo lo que el alcance deja ver
    with pytest.raises(ValueError, match="'limite'"):
        consultas_comentarios.comentarios_encuestas(con, Filtros(), limite=0)


def test_notas_de_auditoria(con_memoria, almacen_memoria):
    con_memoria.execute("INSERT INTO cargas (carga_id, tipo) VALUES (1, 'prueba')")
    con_memoria.execute("INSERT INTO agentes (agente_id, nombre, equipo, carga_id) VALUES ('A1', 'Ana', 'Andes', 1)")
    for i, texto in enumerate(["Perdió la calma", None, "Excelente escucha"]):
        con_memoria.execute("INSERT INTO auditorias (auditoria_id, fecha, agente_id, comentario, carga_id) VALUES "
                            "(?, TIMESTAMP '2026-03-01' + INTERVAL (?) DAY, 'A1', ?, 1)", [f"AU{i}", i, texto])
    notas = consultas_comentarios.notas_auditorias(almacen_memoria.ibis(), Filtros()).to_pandas()
    assert notas["auditoria_id"].tolist() == ["AU2", "AU0"]
    assert notas["equipo"].tolist() == ["Andes", "Andes"]
    calma = consultas_comentarios.notas_auditorias(almacen_memoria.ibis(), Filtros(), "CALMA").to_pandas()
    assert calma["auditoria_id"].tolist() == ["AU0"]


# ---------------------------------------------------------------------------
# Datos de demostración: los temas sembrados de la etapa más débil
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_asignada(demo_compartida):
    """Temas de los comentarios de la demostración (escala 0,3) y cada comentario con su tema y su tono."""
    con = demo_compartida(escala=0.3).ibis()
    muestra = consultas_comentarios.comentarios_para_modelos(con).to_pandas()
    resultado = cm.temas(muestra["comentario"], grupos=cm.tonos_de_encuestas(muestra))
    tabla = cm.asignar(consultas_comentarios.comentarios_encuestas(con, Filtros()).to_pandas(), resultado,
                       cm.entrenar_desde_encuestas(muestra))
    return resultado, tabla


_PALABRAS_ENTREGA = ("entrega", "tarde", "incompleto", "pedido", "fecha", "llegó")


def test_demo_los_negativos_de_la_entrega_hablan_de_la_entrega(demo_asignada):
    resultado, tabla = demo_asignada
    texto = cm.resumen_de_etapa(tabla, resultado, demo.ETAPA_DEBIL)
    assert texto.startswith(f"En {demo.ETAPA_DEBIL}, los ")
    negativos = tabla[(tabla["tono"] == "negativo") & (tabla["etapa_baja"] == demo.ETAPA_DEBIL)]
    frecuentes = negativos["tema"].value_counts(normalize=True)
    de_entrega = [t for t in frecuentes.index if any(p in " ".join(resultado.palabras.get(t, ())[:3]) for p in
                                                     _PALABRAS_ENTREGA)]
    assert frecuentes[de_entrega].sum() > 0.8  # casi todas sus quejas caen en temas de la entrega
    assert all(any(p in frase.split(":")[1] for p in _PALABRAS_ENTREGA) for frase in [texto])


def test_demo_lo_que_duele_señala_la_entrega(demo_asignada):
    resultado, tabla = demo_asignada
    duele = cm.lo_que_duele(tabla, resultado)
    primero = duele.iloc[0]
    assert primero["razon"] > 1.5 and primero["p_razon"] < 0.001
    assert any(p in " ".join(resultado.palabras[primero["tema"]]) for p in _PALABRAS_ENTREGA)


def test_demo_sentimiento_sigue_a_la_nota(demo_asignada):
    _, tabla = demo_asignada
    calificados = tabla[tabla["tono"].isin(["negativo", "positivo"])]
    assert (calificados["sentimiento"] == calificados["tono"]).mean() > 0.9


# ---------------------------------------------------------------------------
# La página
# ---------------------------------------------------------------------------

def test_pagina_con_datos_de_demostracion(base_demo):
    at = abrir("paginas/comentarios.py")
    sin_errores(at)
    assert at.title[0].value == "Comentarios"
    assert [m.label for m in at.metric] == ["Comentarios", "Temas", "Exactitud del sentimiento", "Tono negativo"]
    assert [t.label for t in at.tabs] == ["Temas", "Qué duele", "Por etapa y segmento", "En el tiempo", "Sentimiento",
                                          "Buscar y exportar", "Renombrar y unir"]
    assert at.metric[2].value == "—"  # la demostración repite sus textos: no hay apartados distintos que medir
    assert any("Tono de cada tema" in m.value for m in at.markdown)
    assert at.dataframe[1].value.columns.tolist()[:3] == ["Tema", "Etapa de la cadena", "Comentarios"]
    assert "Entrega" in at.dataframe[1].value["Etapa de la cadena"].tolist()
    abrir_pestana(at, "Qué duele")
    sin_errores(at)
    duele = next(d.value for d in at.dataframe if "Veces más (notas bajas)" in d.value.columns)
    primero = duele["Tema"].iloc[0].lower()  # el tema más sobrerrepresentado entre las notas bajas
    assert any(p in primero for p in ("entrega", "pedido")), primero
    abrir_pestana(at, "Por etapa y segmento")
    assert any(f"En {demo.ETAPA_DEBIL}, los" in m.value for m in at.markdown)
    abrir_pestana(at, "Buscar y exportar")
    at.text_input(key="com_buscar").input("entrega tarde").run()
    sin_errores(at)
    assert any("comentarios; en pantalla" in c.value for c in at.caption)
    at.selectbox(key="com_k").select(4).run()
    sin_errores(at)
    assert at.metric[1].value == "4"
    # La pestaña abierta y lo buscado siguen al cambiar otro control de la página.
    assert at.text_input(key="com_buscar").value == "entrega tarde"


def test_pagina_guarda_un_nombre(base_demo):
    at = abrir_pestana(abrir("paginas/comentarios.py"), "Renombrar y unir")
    campo = next(t for t in at.text_input if t.key.startswith("com_nombre_"))
    campo.input("Mi tema propio")
    next(b for b in at.button if b.label == "Guardar").click().run()
    sin_errores(at)
    opciones = abrir_pestana(at, "Temas").selectbox(key="com_tema_leer").options
    assert "Mi tema propio" in opciones


def test_pagina_sin_comentarios_calificados_suficientes(base_vacia):
    from datos.almacen.conexion import Almacen
    from datos.ingesta.carga import cargar_archivo
    almacen = Almacen(str(base_vacia))
    cargar_archivo(almacen.cursor(), RESENAS["restaurante"], "encuestas", solo_validas=True, hoy=date(2026, 11, 1))
    almacen.cerrar()
    at = abrir()
    elegir_periodo(at, date(2026, 1, 1), date(2026, 12, 31))
    at.switch_page("paginas/comentarios.py").run()
    sin_errores(at)
    exactitud = next(m for m in at.metric if m.label == "Exactitud del sentimiento")
    assert exactitud.value == "—"
    abrir_pestana(at, "Sentimiento")
    assert any("no se estima el sentimiento" in i.value for i in at.info)


def test_umbral_de_privacidad_en_el_reparto_por_grupo():
    asignados = pd.DataFrame({"sentimiento": ["positivo"] * 12 + ["negativo"] * 3,
                              "canal": ["Chat"] * 12 + ["Correo"] * 3})
    reparto = cm.sentimiento_por(asignados, "canal", privacidad=10).set_index(["grupo", "sentimiento"])
    assert reparto.loc[("Chat", "positivo"), "proporcion"] == 1.0
    assert reparto.loc[("Correo", "negativo"), "proporcion"] != reparto.loc[("Correo", "negativo"), "proporcion"]
    assert reparto.loc[("Correo", "negativo"), "n_grupo"] == 3


# ---------------------------------------------------------------------------
# Temas con nombre de asunto, etapa de cada tema y tono por tema
# ---------------------------------------------------------------------------

def test_demo_temas_sin_tono(demo_asignada):
    resultado, tabla = demo_asignada
    for nombre in resultado.nombres.values():
        assert not {"bien", "buena", "bueno", "excelente", "mejor"} & set(normalizar(nombre.replace(",", " ")).split())
    assert (tabla["tema"] == cm.SIN_TEMA).mean() < 0.1



#: La palabra con que cada plantilla de la demostración nombra el asunto de su etapa («Solución» dice «arreglo»).
_ASUNTO_DE_ETAPA = {"Atención inicial": ("atención",), "Diagnóstico": ("diagnóstico",), "Solución": ("arregl",),
                    "Entrega": ("entrega", "pedido"), "Seguimiento": ("seguimiento",)}


def _etapas_de_plantilla(texto: str) -> set[str]:
    """Etapas cuyo asunto nombra una plantilla de la demostración (dos en las mixtas, ninguna en la neutra)."""
    return {etapa for etapa, palabras in _ASUNTO_DE_ETAPA.items() if any(p in texto.lower() for p in palabras)}


def test_demo_cada_plantilla_cae_en_un_tema_de_su_asunto(demo_asignada):
    """Los comentarios de la demostración van, sobre todo, a un tema cuyo nombre dice su asunto (al menos 8 de cada
    10 plantillas: el modelo agrupa por sustantivos, y una plantilla puede compartir uno con otra etapa) y «Me
    llamaron después para confirmar…» cae bajo el seguimiento, no bajo el pedido incompleto."""
    resultado, tabla = demo_asignada
    plantillas = [(etapa, t) for por_etapa in (encuestas_demo.COMENTARIOS_MALOS, encuestas_demo.COMENTARIOS_BUENOS)
                  for etapa, textos in por_etapa.items() for t in textos]
    assert all(_etapas_de_plantilla(t) == {etapa} for etapa, t in plantillas), "cada una nombra su etapa"
    textos, _ = encuestas_demo.textos_comentarios()
    con_tema = tabla[tabla["tema"] != cm.SIN_TEMA]
    principal = con_tema.groupby("comentario")["tema"].agg(lambda temas: temas.value_counts().index[0])
    aciertos = [any(p in resultado.nombres[principal[texto]].lower() for e in etapas for p in _ASUNTO_DE_ETAPA[e])
                for texto in textos if (etapas := _etapas_de_plantilla(texto)) and texto in principal.index]
    assert len(aciertos) >= 50
    assert sum(aciertos) >= 0.8 * len(aciertos), f"{sum(aciertos)} de {len(aciertos)} en un tema de su asunto"
    llamada = tabla.loc[tabla["comentario"].str.contains("confirmar que todo estaba bien", na=False), "tema"]
    assert len(llamada) and all("seguimiento" in resultado.nombres[t].lower() for t in llamada)

def test_demo_temas_de_la_entrega_van_a_la_etapa_entrega(demo_asignada):
    resultado, _ = demo_asignada
    etapas = cm.etapas_de_temas(resultado, ["Atención inicial", "Diagnóstico", "Solución", "Entrega", "Seguimiento"])
    de_entrega = [t for t, p in resultado.palabras.items() if "entrega" in " ".join(p[:2]).lower()]
    assert de_entrega and all(etapas[t] == "Entrega" for t in de_entrega)
    assert set(etapas.values()) <= {"Atención inicial", "Diagnóstico", "Solución", "Entrega", "Seguimiento", None}


def test_demo_sentimiento_no_se_mide_con_textos_repetidos(demo_asignada, demo_compartida):
    """La demostración repite 55 textos: validar con ellos daría 100 %; la exactitud queda sin medir."""
    muestra = consultas_comentarios.comentarios_para_modelos(demo_compartida(escala=0.3).ibis()).to_pandas()
    modelo = cm.entrenar_desde_encuestas(muestra)
    assert modelo.metodo_validacion == "fecha"
    assert math.isnan(modelo.exactitud_validacion) and modelo.n_casi_duplicados > 100


def test_sentimiento_por_tema_valores_conocidos(asignados_a_mano):
    tabla = asignados_a_mano.assign(sentimiento=["negativo"] * 4 + ["positivo"] * 6 + [None])
    por_tema = cm.sentimiento_por_tema(tabla, _Nombres(), {0: "Entrega", 1: None}, muestra_minima=5).set_index("tema")
    assert por_tema.index.tolist() == [0, 1]  # el más negativo primero
    assert por_tema.loc[0, "negativos"] == pytest.approx(0.8) and por_tema.loc[0, "etapa"] == "Entrega"
    assert por_tema.loc[1, "positivos"] == pytest.approx(1.0) and por_tema.loc[0, "n"] == 5
    assert por_tema.loc[0, "neg_inf"] < 0.8 < por_tema.loc[0, "neg_sup"]
    legible = cm.tabla_sentimiento_temas(por_tema.reset_index())
    assert legible["Negativos (IC 95 %)"].iloc[0].startswith("80,0 % (") and legible["Etapa de la cadena"].iloc[1] == "—"
    assert cm.sentimiento_por_tema(tabla.assign(sentimiento=None), _Nombres(), {}).empty
