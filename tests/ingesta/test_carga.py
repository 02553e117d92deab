"""Motor de carga: lectura de archivos reales, mapeo, validación, escritura transaccional y deshacer."""

import json
from datetime import date

import pandas as pd
import pytest

from tests import ARCHIVOS
from datos.ajustes.organizacion import CADENA_SUGERIDA, Configuracion, aplicar
from datos.ingesta.carga import _FILAS_MUESTRA, Preparacion, cargar_archivo
from datos.ingesta.etiquetas import guardar_etiquetas, tabla_de_etiquetas
from datos.ingesta.historial import (FILAS_CARGA_GRANDE, deshacer, es_grande, filas_de_carga, historial, texto_de_filas,
                                     usuario_actual)
from analisis.errores import ArchivoDemasiadoGrande, ArchivoIlegible, CargaNoEncontrada, MapeoIncompleto
from datos.ingesta.lectura import MAX_LINEA_MUESTRA
from datos.ingesta.mapeo import TIPOS, firma_de_columnas, proponer, revisar_mapeo, sugerir_tipo
from datos.ingesta.validacion import Formato, columnas_a_validar, etiquetas_frecuentes, etiquetas_por_escala, parametros

DATOS = ARCHIVOS
ESPERADO = json.loads((DATOS / "esperado.json").read_text(encoding="utf-8"))
ARCHIVOS = sorted(p for p in DATOS.iterdir() if p.is_file() and p.suffix not in (".json", ".md", ".toml"))
HOY = date(2026, 11, 1)


def _cadena_sugerida(con):
    """Configura la cadena sugerida (un almacén nuevo no trae etapas)."""
    aplicar(con, Configuracion(etapas=CADENA_SUGERIDA), usuario="prueba")


def _preparar(con, ruta, **opciones):
    return Preparacion(con, ruta, **opciones)


def _csv(tmp_path, texto, nombre="datos.csv", codificacion="utf-8"):
    ruta = tmp_path / nombre
    ruta.write_bytes(texto.encode(codificacion))
    return ruta


def _contar(con, tabla):
    return con.execute(f"SELECT count(*) FROM {tabla}").fetchall()[0][0]


@pytest.mark.parametrize("ruta", ARCHIVOS, ids=lambda p: p.name)
def test_cada_archivo_de_ejemplo_se_lee_y_valida_como_se_espera(con_memoria, ruta):
    tipo = ruta.name.split("_")[0]
    esperado = ESPERADO.get(ruta.name, {})
    preparacion = _preparar(con_memoria, ruta)
    try:
        validacion = preparacion.validar(tipo, hoy=HOY)
        for campo in ("codificacion", "delimitador", "primera_fila"):
            if campo in esperado:
                assert getattr(preparacion.archivo, campo) == esperado[campo]
        if "nuevas" in esperado:
            assert validacion.filas_nuevas == esperado["nuevas"]
            assert validacion.filas_con_errores == esperado["con_errores"]
        assert list(validacion.errores["mensaje"]) == esperado.get("mensajes", list(validacion.errores["mensaje"]))
        resultado = preparacion.guardar(validacion, solo_validas=True)
        assert resultado.guardadas == validacion.filas_nuevas
    finally:
        preparacion.cerrar()


def test_windows_1252_conserva_euro_y_comillas_curvas(con_memoria):
    cargar_archivo(con_memoria, DATOS / "encuestas_1252_puntoycoma.csv", "encuestas", solo_validas=True, hoy=HOY)
    comentario = con_memoria.execute("SELECT comentario FROM encuestas WHERE respuesta_id = '1001'").fetchall()[0][0]
    assert comentario == "Pagué 25 € y todo “perfecto” – gracias"
    ces = con_memoria.execute("SELECT ces FROM encuestas WHERE respuesta_id = '1001'").fetchall()[0][0]
    assert ces == 5.5


def test_latin1_sin_bytes_de_control_se_lee_sin_copiar(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "fecha;nps;comentario\n01/02/2026;9;Atención rápida\n", codificacion="latin-1")
    preparacion = _preparar(con_memoria, ruta)
    assert preparacion.archivo.codificacion == "latin-1" and preparacion.archivo.ruta == str(ruta)
    validacion = preparacion.validar("encuestas", hoy=HOY)
    assert validacion.vista_previa.loc[0, "comentario"] == "Atención rápida"
    preparacion.cerrar()


def test_miles_decimal_y_duraciones(con_memoria):
    cargar_archivo(con_memoria, DATOS / "interacciones_tabulador.txt", "interacciones", solo_validas=True, hoy=HOY)
    cargar_archivo(con_memoria, DATOS / "interacciones_barra_duraciones.csv", "interacciones", hoy=HOY)
    tiempos = dict(con_memoria.execute(
        "SELECT interaccion_id, tiempo_respuesta_min FROM interacciones ORDER BY 1").fetchall())
    assert tiempos == {"I-1": 12.5, "I-2": 5.0, "T-1": 1234.5}
    assert con_memoria.execute("SELECT tiempo_resolucion_h FROM interacciones WHERE interaccion_id = 'I-1'"
                               ).fetchall()[0][0] == 26.5


def test_fechas_de_serie_de_excel_y_etiquetas(con_memoria):
    cargar_archivo(con_memoria, DATOS / "encuestas_fechas_serie_excel.csv", "encuestas", hoy=HOY)
    fechas = [f[0].isoformat() for f in con_memoria.execute("SELECT fecha FROM encuestas ORDER BY fecha").fetchall()]
    assert fechas == ["2026-03-01T00:00:00", "2026-03-02T12:00:00", "2026-03-03T00:00:00"]


def test_qualtrics_usa_el_texto_de_la_pregunta_y_mapea_etiquetas(con_memoria):
    preparacion = _preparar(con_memoria, DATOS / "encuestas_qualtrics.csv")
    assert "satisfecho" in preparacion.archivo.descripciones[4]
    mapeo = preparacion.proponer("encuestas")
    assert mapeo["Q1"] == "csat" and mapeo["Q2"] == "nps" and mapeo["ResponseId"] == "respuesta_id"
    validacion = preparacion.validar("encuestas", mapeo, hoy=HOY)
    assert validacion.formatos["Q1"].escala == "satisfaccion_5"
    assert validacion.vista_previa["csat"].tolist() == [5.0, 2.0]
    preparacion.cerrar()


def test_mes_dia_anio_con_am_pm(con_memoria):
    preparacion = _preparar(con_memoria, DATOS / "encuestas_surveymonkey_mdy.csv")
    validacion = preparacion.validar("encuestas", hoy=HOY)
    assert validacion.formatos["End Date"].orden == "mda"
    assert str(validacion.vista_previa.loc[1, "fecha"]) == "2026-03-26 16:12:00"
    preparacion.cerrar()


def test_el_usuario_puede_corregir_el_orden_de_fecha(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "fecha;nps\n03/04/2026;9\n")
    preparacion = _preparar(con_memoria, ruta)
    por_defecto = preparacion.validar("encuestas", hoy=HOY)
    assert str(por_defecto.vista_previa.loc[0, "fecha"]).startswith("2026-04-03")
    assert any("día/mes" in a for a in por_defecto.avisos)
    corregida = preparacion.validar("encuestas", formatos={"fecha": Formato(orden="mda")}, hoy=HOY)
    assert str(corregida.vista_previa.loc[0, "fecha"]).startswith("2026-03-04")
    preparacion.cerrar()


def test_excel_salta_titulo_elige_hoja_datos_y_detecta_cumple(con_memoria):
    validacion, resultado, _ = cargar_archivo(con_memoria, DATOS / "auditorias_cumple_titulo.xlsx", "auditorias",
                                              solo_validas=True, hoy=HOY)
    assert validacion.escala_auditoria == "cumple"
    assert resultado.guardadas == 2
    valores = con_memoria.execute("SELECT competencia, valor FROM auditoria_competencias ORDER BY competencia, valor "
                                  "NULLS FIRST").fetchall()
    assert ("comunicacion", None) in valores and ("resolucion", 0.0) in valores
    assert con_memoria.execute("SELECT DISTINCT escala FROM auditorias").fetchall() == [("cumple",)]


def test_validacion_no_escribe_nada_y_sin_solo_validas_no_guarda(con_memoria):
    antes = historial(con_memoria)
    validacion, resultado, informe = cargar_archivo(con_memoria, DATOS / "encuestas_1252_puntoycoma.csv",
                                                    "encuestas", hoy=HOY)
    assert validacion.hay_errores and resultado.carga_id is None and resultado.guardadas == 0
    assert "No se guardó nada" in resultado.mensaje
    assert informe == ["Fila 4, columna Recomendación: 'diez' no es un número entre 0 y 10"]
    assert _contar(con_memoria, "encuestas") == 0
    assert historial(con_memoria).equals(antes)


def test_misma_carga_dos_veces_no_guarda_nada_nuevo(con_memoria):
    _, primero, _ = cargar_archivo(con_memoria, DATOS / "encuestas_utf8_bom_coma.csv", "encuestas", hoy=HOY)
    version = con_memoria.execute("SELECT valor FROM configuracion WHERE clave = 'version_datos'").fetchall()
    validacion, segundo, _ = cargar_archivo(con_memoria, DATOS / "encuestas_utf8_bom_coma.csv", "encuestas", hoy=HOY)
    assert primero.guardadas == 3 and segundo.guardadas == 0 and segundo.carga_id is None
    assert validacion.ya_cargado == primero.carga_id and validacion.filas_repetidas == 3
    assert "ya estaban guardadas" in segundo.mensaje
    assert con_memoria.execute("SELECT valor FROM configuracion WHERE clave = 'version_datos'").fetchall() == version


def test_sin_identificador_la_huella_del_contenido_evita_repetidos(con_memoria, tmp_path):
    primera = _csv(tmp_path, "fecha;nps\n01/03/2026;9\n01/03/2026;9\n02/03/2026;7\n", "a.csv")
    ampliada = _csv(tmp_path, "fecha;nps\n01/03/2026;9\n01/03/2026;9\n02/03/2026;7\n03/03/2026;10\n", "b.csv")
    validacion, resultado, _ = cargar_archivo(con_memoria, primera, "encuestas", hoy=HOY)
    assert resultado.guardadas == 3 and any("idénticas" in a for a in validacion.avisos)
    _, resultado, _ = cargar_archivo(con_memoria, ampliada, "encuestas", hoy=HOY)
    assert resultado.guardadas == 1 and resultado.repetidas == 3
    assert _contar(con_memoria, "encuestas") == 4


def test_los_textos_pierden_los_blancos_de_los_bordes_y_conservan_los_de_dentro(con_memoria, tmp_path):
    """Espacios, tabuladores, espacios duros (U+00A0, U+202F) y saltos de línea de los bordes se quitan; un
    texto de solo blancos queda vacío; los de dentro se quedan."""
    filas = ["R1;01/03/2026;5;\u00a0Sucursal Norte", "R2;01/03/2026;5;Sucursal  Sur\u202f", "R3;01/03/2026;5;\u00a0 ",
             "R4;01/03/2026;5;\tCentro\x0b", "R5;01/03/2026;5;Este"]
    ruta = _csv(tmp_path, "id;fecha;csat;sucursal\n" + "\n".join(filas) + "\n")
    _, resultado, _ = cargar_archivo(con_memoria, ruta, "encuestas", hoy=HOY)
    assert resultado.guardadas == 5
    guardadas = con_memoria.execute("SELECT respuesta_id, sucursal FROM encuestas ORDER BY 1").fetchall()
    assert guardadas == [("R1", "Sucursal Norte"), ("R2", "Sucursal  Sur"), ("R3", None), ("R4", "Centro"),
                         ("R5", "Este")]


def test_repetidos_dentro_del_archivo_se_rechazan(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "id;fecha;csat\nR1;01/03/2026;5\nR1;02/03/2026;4\n")
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "encuestas", solo_validas=True, hoy=HOY)
    assert validacion.errores["mensaje"].tolist() == ["Fila 3, columna id: 'R1' está repetido (ya aparece en la fila 2)"]
    assert resultado.guardadas == 1


def test_fechas_futuras_antiguas_y_obligatorias(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "fecha;csat\n02/11/2026;5\n31/12/1999;4\n;3\n15/06/2026;\n")
    validacion, _, _ = cargar_archivo(con_memoria, ruta, "encuestas", hoy=HOY)
    assert validacion.errores["mensaje"].tolist() == [
        "Fila 2, columna fecha: la fecha 02/11/2026 está en el futuro",
        "Fila 3, columna fecha: la fecha 31/12/1999 es anterior a 01/01/2000",
        "Fila 4, columna fecha: falta el dato obligatorio «Fecha»",
        "Fila 5: la fila no tiene ninguna calificación (CSAT, NPS, CES ni etapas)",
    ]


def test_filas_con_columnas_de_mas_se_informan_con_su_numero(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "id;fecha;nps\nA;01/03/2026;9\nB;02/03/2026;8;extra\nC;03/03/2026;diez\nE;04/03/2026\n")
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "encuestas", solo_validas=True, hoy=HOY)
    mensajes = validacion.errores["mensaje"].tolist()
    assert mensajes[0].startswith("Fila 3: la fila tiene más columnas que la cabecera")
    assert mensajes[1:] == ["Fila 4, columna nps: 'diez' no es un número entre 0 y 10",
                            "Fila 5: la fila no tiene ninguna calificación (CSAT, NPS, CES ni etapas)"]
    assert resultado.guardadas == 1


def test_una_linea_mas_larga_que_el_bufer_de_la_muestra_se_lee_igual(con_memoria, tmp_path):
    largo = "x" * (MAX_LINEA_MUESTRA + 10)
    ruta = _csv(tmp_path, f"id;fecha;nps;comentario\nA;01/03/2026;9;{largo}\nB;02/03/2026;8;bien\n")
    preparacion = _preparar(con_memoria, ruta)
    assert preparacion.muestra()["comentario"].str.len().tolist() == [len(largo), 4]
    validacion = preparacion.validar("encuestas", hoy=HOY)
    assert validacion.errores["mensaje"].tolist() == [
        f"Fila 2, columna comentario: el texto tiene {len(largo)} caracteres (máximo 20000)"]
    preparacion.cerrar()


def test_un_archivo_de_varios_bufers_da_el_numero_de_fila_de_cada_error(con_memoria, tmp_path):
    # Más de 32 MB: DuckDB lo lee en varios búferes de 16 MB a la vez (datos.ingesta.lectura._bufer); una fila
    # rechazada por el lector y un valor inválido en búferes distintos conservan su número de fila.
    relleno = "consulta sobre el estado de una solicitud anterior " * 2
    filas = [f"I{n};01/03/2026 10:00;{relleno}" for n in range(380_000)]
    filas[200_000] = "X1;01/03/2026 10:00;motivo;de más"
    filas[300_000] = "X2;31/02/2026 10:00;motivo"
    ruta = _csv(tmp_path, "ID interacción;Fecha inicio;Motivo\n" + "\n".join(filas) + "\n")
    assert ruta.stat().st_size > 40 << 20
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "interacciones", solo_validas=True, hoy=HOY)
    mensajes = validacion.errores["mensaje"].tolist()
    assert len(mensajes) == 2
    assert mensajes[0].startswith("Fila 200002: la fila tiene más columnas que la cabecera")
    assert mensajes[1].startswith("Fila 300002, columna Fecha inicio: '31/02/2026 10:00' no es una fecha válida")
    assert resultado.guardadas == 380_000 - 2


def test_etiquetas_frecuentes_da_los_textos_de_la_muestra_ya_convertidos(con_memoria):
    con_memoria.execute("CREATE TEMP TABLE m AS SELECT * FROM (VALUES ('Sí'), ('Sí'), ('Sí'), ('No'), ('No'), "
                        "('tal vez'), ('X'), (NULL)) t(c0)")
    columnas = columnas_a_validar(TIPOS["interacciones"], {"Resuelto": "resuelto"}, ("Resuelto",))
    valores = parametros(columnas, etiquetas_por_escala(con_memoria), manana=HOY, es_ficha=False)
    assert etiquetas_frecuentes(con_memoria, "m", columnas, valores) == {
        "crudo0_k": ["Sí", "No", "X"], "crudo0_v": [1.0, 0.0, 1.0]}


def test_etiquetas_frecuentes_de_la_muestra_y_las_que_solo_aparecen_despues(con_memoria, tmp_path):
    filas = [f"I{n};01/03/2026 10:00;{'Sí' if n % 3 else 'No'}" for n in range(_FILAS_MUESTRA)]
    filas += ["J1;01/03/2026 10:00;  VERDADERO ", "J2;01/03/2026 10:00;quizás"]
    ruta = _csv(tmp_path, "ID interacción;Fecha inicio;Resuelto\n" + "\n".join(filas) + "\n")
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "interacciones", solo_validas=True, hoy=HOY)
    assert validacion.errores["mensaje"].tolist() == [
        f"Fila {_FILAS_MUESTRA + 3}, columna Resuelto: 'quizás' no es Sí o No"]
    assert resultado.guardadas == _FILAS_MUESTRA + 1
    resueltos = dict(con_memoria.execute("SELECT interaccion_id, resuelto FROM interacciones "
                                         "WHERE interaccion_id IN ('I1', 'I3', 'J1')").fetchall())
    assert resueltos == {"I1": True, "I3": False, "J1": True}


def test_la_etapa_de_una_interaccion_es_un_texto_y_no_una_calificacion(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "ID interacción;Fecha inicio;Etapa\nI1;01/03/2026 10:00;Entrega\n")
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "interacciones", hoy=HOY)
    assert validacion.mapeo["Etapa"] == "etapa" and validacion.n_errores == 0
    assert con_memoria.execute("SELECT etapa FROM interacciones").fetchall() == [("Entrega",)]
    assert revisar_mapeo("encuestas", {"Entrega": "etapa", "fecha": "fecha"}, ("Entrega", "fecha")) == {
        "Entrega": "etapa:Entrega", "fecha": "fecha"}


def test_saltos_de_linea_entre_comillas_y_filas_cortas(con_memoria, tmp_path):
    ruta = _csv(tmp_path, 'ID agente;Nombre;Equipo\nA;"Ana\nMaría";Andes\nB\nC;Luis;Caribe\n')
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "agentes", hoy=HOY)
    assert validacion.filas_leidas == 3 and resultado.guardadas == 3
    assert con_memoria.execute("SELECT nombre FROM agentes WHERE agente_id = 'A'").fetchall() == [("Ana\nMaría",)]


def test_columnas_de_mas_con_saltos_de_linea(con_memoria, tmp_path):
    ruta = _csv(tmp_path, 'ID agente;Nombre\nA;"Ana\nMaría"\nB\nC;Luis;de más\n')
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "agentes", solo_validas=True, hoy=HOY)
    assert validacion.errores["mensaje"].str.startswith("Fila 4: la fila tiene más columnas").tolist() == [True]
    assert resultado.guardadas == 2


def test_desconocidos_se_avisan_y_se_crean_si_se_pide(con_memoria):
    validacion, resultado, _ = cargar_archivo(con_memoria, DATOS / "interacciones_barra_duraciones.csv",
                                              "interacciones", crear_desconocidos=True, hoy=HOY)
    assert validacion.desconocidos == {"clientes": (1, ("CLI-9",)), "agentes": (1, ("AGE-1",))}
    assert resultado.creados == {"clientes": 1, "agentes": 1}
    assert deshacer(con_memoria, resultado.carga_id) == {"agentes": 1, "clientes": 1, "interacciones": 2}


def test_deshacer_borra_exactamente_su_carga(con_memoria):
    _cadena_sugerida(con_memoria)
    _, primera, _ = cargar_archivo(con_memoria, DATOS / "encuestas_qualtrics.csv", "encuestas", hoy=HOY)
    _, segunda, _ = cargar_archivo(con_memoria, DATOS / "encuestas_utf8_bom_coma.csv", "encuestas", hoy=HOY)
    anunciadas = filas_de_carga(con_memoria, primera.carga_id)
    borradas = deshacer(con_memoria, primera.carga_id, usuario="prueba")
    assert borradas == anunciadas == {"encuesta_etapas": 2, "encuestas": 2}
    assert texto_de_filas(borradas) == "2 encuestas" and not es_grande(borradas)
    assert es_grande(borradas, es_demo=True) and es_grande({"interacciones": FILAS_CARGA_GRANDE})
    assert con_memoria.execute("SELECT detalle FROM bitacora WHERE accion = 'deshacer carga'").fetchall() == [
        (f"n.º {primera.carga_id}: 2 encuestas",)]
    assert _contar(con_memoria, "encuestas") == 3
    registro = historial(con_memoria).set_index("carga_id")
    assert registro.loc[primera.carga_id, "estado"] == "deshecha"
    assert registro.loc[primera.carga_id, "deshecha_por"] == "prueba"
    assert registro.loc[segunda.carga_id, "estado"] == "vigente"
    # El historial no cuenta filas que ya no existen: la deshecha queda con 0, la otra con las suyas.
    assert registro.loc[primera.carga_id, "filas_guardadas"] == 0
    assert registro.loc[segunda.carga_id, "filas_guardadas"] == _contar(con_memoria, "encuestas") == 3
    with pytest.raises(CargaNoEncontrada, match="ya se deshizo"):
        deshacer(con_memoria, primera.carga_id)
    with pytest.raises(CargaNoEncontrada, match="No existe"):
        deshacer(con_memoria, 999)
    _, otra_vez, _ = cargar_archivo(con_memoria, DATOS / "encuestas_qualtrics.csv", "encuestas", hoy=HOY)
    assert otra_vez.guardadas == 2


def test_registro_de_la_carga(con_memoria):
    _, resultado, _ = cargar_archivo(con_memoria, DATOS / "interacciones_tabulador.txt", "interacciones",
                                     solo_validas=True, hoy=HOY)
    fila = con_memoria.execute("SELECT archivo, tipo, filas_leidas, filas_guardadas, filas_rechazadas, usuario, "
                               "formato, mapeo FROM cargas WHERE carga_id = ?", [resultado.carga_id]).fetchall()[0]
    assert fila[:7] == ("interacciones_tabulador.txt", "interacciones", 3, 1, 2, usuario_actual(), "csv")
    assert json.loads(fila[7])["columnas"]["Ticket"] == "interaccion_id"
    assert len(con_memoria.execute("SELECT hash FROM cargas").fetchall()[0][0]) == 64


def test_mapeo_confirmado_se_recuerda(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "cuando;nota;otra\n01/03/2026;4;x\n")
    preparacion = _preparar(con_memoria, ruta)
    assert preparacion.proponer("encuestas") == {"cuando": "", "nota": "", "otra": ""}
    validacion = preparacion.validar("encuestas", {"cuando": "fecha", "nota": "csat", "otra": ""}, hoy=HOY)
    preparacion.guardar(validacion)
    preparacion.cerrar()
    siguiente = _preparar(con_memoria, _csv(tmp_path, "Cuándo;NOTA;Otra\n02/03/2026;5;y\n", "otro.csv"))
    assert siguiente.es_recordado("encuestas")
    assert siguiente.proponer("encuestas") == {"Cuándo": "fecha", "NOTA": "csat", "Otra": ""}
    assert firma_de_columnas(("cuando", "nota", "otra")) == firma_de_columnas(("Cuándo", "NOTA", "Otra"))
    siguiente.cerrar()


def test_limite_de_tamano_configurable(con_memoria, tmp_path):
    con_memoria.execute("UPDATE configuracion SET valor = '0.0001' WHERE clave = 'limite_carga_mb'")
    ruta = _csv(tmp_path, "fecha;nps\n" + "01/03/2026;9\n" * 50)
    with pytest.raises(ArchivoDemasiadoGrande, match="límite"):
        _preparar(con_memoria, ruta)


@pytest.mark.parametrize("contenido, mensaje", [
    (b"", "vacío"),
    (b"fecha;nps\n", "no tiene filas de datos"),
    (b"%PDF-1.4\x00\x00\x01binario", "no parece un archivo de texto"),
])
def test_archivos_ilegibles(con_memoria, tmp_path, contenido, mensaje):
    ruta = tmp_path / "malo.csv"
    ruta.write_bytes(contenido)
    with pytest.raises(ArchivoIlegible, match=mensaje):
        cargar_archivo(con_memoria, ruta, "encuestas")


def test_excel_danado(con_memoria, tmp_path):
    ruta = tmp_path / "roto.xlsx"
    ruta.write_bytes(b"PK\x03\x04esto no es un zip")
    with pytest.raises(ArchivoIlegible, match="Excel"):
        _preparar(con_memoria, ruta)


def test_mapeo_incompleto(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "fecha;nps;nota\n01/03/2026;9;4\n")
    with pytest.raises(MapeoIncompleto, match="Fecha de inicio"):
        cargar_archivo(con_memoria, ruta, "interacciones", mapeo={"nps": "interaccion_id"})
    with pytest.raises(MapeoIncompleto, match="van las dos"):
        cargar_archivo(con_memoria, ruta, "encuestas", mapeo={"fecha": "fecha", "nps": "nps", "nota": "nps"})
    with pytest.raises(MapeoIncompleto, match="no es un campo"):
        cargar_archivo(con_memoria, ruta, "encuestas", mapeo={"fecha": "fecha", "nps": "puntaje"})
    with pytest.raises(MapeoIncompleto, match="no tiene la"):
        cargar_archivo(con_memoria, ruta, "encuestas", mapeo={"review_score": "csat"})


def test_propuesta_de_mapeo():
    assert proponer(("review_score", "review_creation_date"), "encuestas") == {
        "review_score": "csat", "review_creation_date": "fecha"}
    assert proponer(("Satisfacion",), "encuestas") == {"Satisfacion": "csat"}
    assert proponer(("Empatía", "Escucha"), "auditorias", competencias={"empatia": "Se pone en el lugar del cliente",
                                                                       "escucha": "Escucha con atención"}) == {
        "Empatía": "competencia:empatia", "Escucha": "competencia:escucha"}
    assert proponer(("Código", "Ciudad"), "clientes") == {"Código": "atributo:codigo", "Ciudad": "atributo:ciudad"}
    assert sugerir_tipo(("Ticket", "Fecha de apertura", "Agente", "SLA cumplido")) == "interacciones"
    with pytest.raises(ValueError, match="'tipo'"):
        proponer(("a",), "ventas")


def test_revisar_mapeo_resuelve_etapas_y_atributos():
    assert revisar_mapeo("encuestas", {"F": "fecha", "Cobro": "etapa"}, ("F", "Cobro")) == {
        "F": "fecha", "Cobro": "etapa:Cobro"}
    assert revisar_mapeo("clientes", {"Id": "cliente_id", "Ciudad natal": "atributo"}, ("Id", "Ciudad natal")) == {
        "Id": "cliente_id", "Ciudad natal": "atributo:ciudad_natal"}


def test_encuesta_sin_fecha_usa_la_de_la_carga_y_lo_avisa(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "nps;nota\n9;4\n")
    validacion, resultado, _ = cargar_archivo(con_memoria, ruta, "encuestas", mapeo={"nps": "nps"}, hoy=HOY)
    assert resultado.guardadas == 1
    assert any("no trae «Fecha»" in aviso for aviso in validacion.avisos)
    assert con_memoria.execute("SELECT CAST(fecha AS DATE) = current_date FROM encuestas").fetchall() == [(True,)]


def test_etapa_nueva_se_agrega_a_la_cadena(con_memoria, tmp_path):
    _cadena_sugerida(con_memoria)
    ruta = _csv(tmp_path, "fecha;Facturación\n01/03/2026;Excelente\n")
    cargar_archivo(con_memoria, ruta, "encuestas", mapeo={"fecha": "fecha", "Facturación": "etapa"}, hoy=HOY)
    assert con_memoria.execute("SELECT orden FROM etapas WHERE etapa = 'Facturación'").fetchall() == [(6,)]
    assert con_memoria.execute("SELECT calificacion FROM encuesta_etapas").fetchall() == [(5.0,)]


def test_informe_csv_neutraliza_formulas(con_memoria, tmp_path):
    ruta = _csv(tmp_path, "fecha;nps;=cmd\n01/03/2026;=HYPERLINK(\"http://x\");1\n")
    preparacion = _preparar(con_memoria, ruta)
    preparacion.validar("encuestas", hoy=HOY)
    informe = preparacion.informe_csv().decode("utf-8-sig")
    assert informe.splitlines()[0] == "Fila;Columna;Valor;Mensaje"
    assert "'=HYPERLINK" in informe and ";=HYPERLINK" not in informe and '"=HYPERLINK' not in informe
    preparacion.cerrar()


def test_escala_de_etiquetas_editable(con_memoria, tmp_path):
    _cadena_sugerida(con_memoria)
    etiquetas = tabla_de_etiquetas(con_memoria)
    nuevas = pd.concat([etiquetas, pd.DataFrame([{"escala": "calidad_5", "etiqueta": "Fenomenal", "valor": 5}])])
    assert guardar_etiquetas(con_memoria, nuevas) == len(etiquetas) + 1
    ruta = _csv(tmp_path, "fecha;Entrega\n01/03/2026;FENOMENAL\n")
    validacion, _, _ = cargar_archivo(con_memoria, ruta, "encuestas", hoy=HOY)
    assert not validacion.hay_errores
    with pytest.raises(ValueError, match="escala"):
        guardar_etiquetas(con_memoria, pd.DataFrame([{"escala": "otra", "etiqueta": "x", "valor": 1}]))
    with pytest.raises(ValueError, match="repetidas"):
        guardar_etiquetas(con_memoria, pd.DataFrame([{"escala": "si_no", "etiqueta": "Sí", "valor": 1},
                                                     {"escala": "si_no", "etiqueta": "si", "valor": 1}]))


def test_lo_que_otra_carga_guarda_entre_validar_y_guardar_no_se_repite(con_memoria, tmp_path):
    """Lo que se guardaría se fija al validar (el informe lo cuenta una vez) y otra vez al guardar: si entretanto
    otra carga guardó parte de las filas, solo se guardan las que faltan."""
    texto = "interaccion_id;fecha_inicio;canal\n" + "".join(f"I-{k};0{k}/03/2026 10:00;Chat\n" for k in range(1, 5))
    primera = _preparar(con_memoria, _csv(tmp_path, texto, "todas.csv"))
    try:
        validacion = primera.validar("interacciones")
        assert validacion.filas_nuevas == 4
        cargar_archivo(con_memoria, _csv(tmp_path, texto.split("I-3")[0].rstrip(), "dos.csv"), "interacciones")
        assert _contar(con_memoria, "interacciones") == 2
        resultado = primera.guardar(validacion)
    finally:
        primera.cerrar()
    assert resultado.guardadas == 2
    assert sorted(f[0] for f in con_memoria.execute("SELECT interaccion_id FROM interacciones").fetchall()) == \
        ["I-1", "I-2", "I-3", "I-4"]
