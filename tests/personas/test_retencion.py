"""Retención: anonimiza exactamente las filas que pasaron el plazo de su tipo, y nada más."""

from datetime import datetime

import pandas as pd
import pytest

from analisis.errores import AjusteNoValido
from datos.personas.ajustes import guardar_plazos, plazos
from datos.personas.cambios import PREFIJO_ANONIMO
from datos.personas.retencion import limites, proxima_retencion, retencion_programada, retener, ultima_retencion
from datos.servicio.programa import TRABAJOS

PLAZOS = {"comentarios": 200, "encuestas": 400, "interacciones": 300, "auditorias": 365}


def _ahora(con) -> datetime:
    """El día siguiente al último dato de la demostración (la demo se genera hacia atrás desde hoy)."""
    return con.execute("SELECT date_trunc('day', max(fecha)) + INTERVAL 1 DAY FROM encuestas").fetchall()[0][0]


def _tabla(con, sql):
    return con.execute(sql).fetchdf()


def _anonimo(serie: pd.Series) -> pd.Series:
    return serie.str.startswith(PREFIJO_ANONIMO)


def test_retencion_anonimiza_exactamente_lo_que_paso_su_plazo(demo_nueva):
    almacen = demo_nueva()
    con = almacen.cursor()
    guardar_plazos(con, PLAZOS, autor="ana")
    ahora = _ahora(con)
    fin = limites(plazos(con), ahora)
    encuestas = _tabla(con, "SELECT respuesta_id, fecha, cliente_id, comentario, csat FROM encuestas ORDER BY 1")
    contactos = _tabla(con, "SELECT interaccion_id, fecha_inicio, cliente_id, fcr FROM interacciones ORDER BY 1")
    auditorias = _tabla(con, "SELECT auditoria_id, fecha, auditor, comentario FROM auditorias ORDER BY 1")
    version = almacen.version_datos()

    resultado = retener(almacen, ahora=ahora, usuario="ana")

    e = _tabla(con, "SELECT respuesta_id, fecha, cliente_id, comentario, csat FROM encuestas ORDER BY 1")
    vieja_e = encuestas.fecha < fin["encuestas"]
    vieja_c = encuestas.fecha < fin["comentarios"]
    assert vieja_e.any() and (vieja_c & ~vieja_e).any() and (~vieja_c).any()
    assert _anonimo(e.cliente_id[vieja_e]).all()
    pd.testing.assert_series_equal(e.cliente_id[~vieja_e], encuestas.cliente_id[~vieja_e])
    assert e.comentario[vieja_c].isna().all()
    pd.testing.assert_series_equal(e.comentario[~vieja_c], encuestas.comentario[~vieja_c])
    pd.testing.assert_series_equal(e.csat, encuestas.csat)

    i = _tabla(con, "SELECT interaccion_id, fecha_inicio, cliente_id, fcr FROM interacciones ORDER BY 1")
    vieja_i = contactos.fecha_inicio < fin["interacciones"]
    assert vieja_i.any() and (~vieja_i).any()
    assert _anonimo(i.cliente_id[vieja_i]).all()
    pd.testing.assert_series_equal(i.cliente_id[~vieja_i], contactos.cliente_id[~vieja_i])
    pd.testing.assert_series_equal(i.fcr, contactos.fcr)

    a = _tabla(con, "SELECT auditoria_id, fecha, auditor, comentario FROM auditorias ORDER BY 1")
    vieja_a = auditorias.fecha < fin["auditorias"]
    assert vieja_a.any() and (~vieja_a).any()
    assert a.auditor[vieja_a].isna().all() and a.comentario[vieja_a].isna().all()
    pd.testing.assert_frame_equal(a[~vieja_a], auditorias[~vieja_a])

    assert resultado.filas["Interacciones"] == int(vieja_i.sum())
    assert resultado.filas["Encuestas"] == int(((vieja_c & encuestas.comentario.notna())
                                                | (vieja_e & encuestas.cliente_id.notna())).sum())
    assert almacen.version_datos() > version
    ultima = ultima_retencion(con)
    assert ultima["solicitud"] == resultado.solicitud and ultima["usuario"] == "ana"
    assert proxima_retencion(con) == ultima["momento"] + pd.Timedelta(days=1)


def test_un_cliente_recibe_una_sola_ficha_y_una_copia_de_su_segmento(demo_nueva):
    almacen = demo_nueva()
    con = almacen.cursor()
    segmentos = _tabla(con, "SELECT c.segmento, count(*) AS n, avg(e.csat) AS csat FROM encuestas e "
                            "JOIN clientes c USING (cliente_id) GROUP BY 1 ORDER BY 1")
    guardar_plazos(con, {"encuestas": 300, "interacciones": 300}, autor="ana")
    retener(almacen, ahora=_ahora(con))
    pd.testing.assert_frame_equal(_tabla(con, "SELECT c.segmento, count(*) AS n, avg(e.csat) AS csat FROM encuestas e "
                                              "JOIN clientes c USING (cliente_id) GROUP BY 1 ORDER BY 1"), segmentos)
    fichas = con.execute("SELECT count(DISTINCT cliente_id) FROM (SELECT cliente_id FROM encuestas UNION ALL "
                         "SELECT cliente_id FROM interacciones) WHERE starts_with(cliente_id, 'ANON-')").fetchall()
    assert fichas == con.execute("SELECT count(*) FROM clientes WHERE starts_with(cliente_id, 'ANON-')").fetchall()


def test_sin_plazos_no_cambia_nada_pero_queda_anotada(demo_nueva):
    almacen = demo_nueva()
    con = almacen.cursor()
    version = almacen.version_datos()
    resultado = retener(almacen, ahora=_ahora(con))
    assert sum(resultado.filas.values()) == 0 and almacen.version_datos() == version
    assert ultima_retencion(con)["solicitud"] == resultado.solicitud
    assert proxima_retencion(con) is None


@pytest.mark.parametrize("plazos_malos, mensaje", [({"comentarios": -1}, "entre 0"), ({"correos": 5}, "No hay plazo")])
def test_plazos_no_validos(con_memoria, plazos_malos, mensaje):
    with pytest.raises(AjusteNoValido, match=mensaje):
        guardar_plazos(con_memoria, plazos_malos, autor="ana")


def test_el_trabajador_aplica_la_retencion_y_sin_plazos_no_hace_nada(demo_nueva):
    almacen = demo_nueva()
    con = almacen.cursor()
    assert retencion_programada(con, _ahora(con)) is None
    assert "Retención de datos personales" in [t.nombre for t in TRABAJOS]
    guardar_plazos(con, PLAZOS, autor="ana")
    ahora = _ahora(con)
    fin = limites(plazos(con), ahora)
    viejas = con.execute("SELECT count(*) FROM encuestas WHERE fecha < ?", [fin["encuestas"]]).fetchall()[0][0]
    texto = retencion_programada(con, ahora)
    assert texto is not None and "anonimizad" in texto
    anonimas = con.execute("SELECT count(*) FROM encuestas WHERE starts_with(cliente_id, ?)",
                           [PREFIJO_ANONIMO]).fetchall()[0][0]
    assert viejas > 0 and anonimas == viejas
    assert ultima_retencion(con) is not None
