"""Todo ajuste que un usuario guarda desde una página queda en la bitácora con el valor anterior y el nuevo."""

from analisis.alertas import Regla
from datos.ajustes.perfiles import guardar_nombres_perfiles
from datos.ajustes.reglas import guardar_reglas
from datos.ajustes.temas import guardar_temas


def _cambios(con) -> list[tuple[str, str]]:
    """(usuario, detalle) de cada «cambiar configuración» de la bitácora, en orden."""
    return con.execute("SELECT usuario, detalle FROM bitacora WHERE accion = 'cambiar configuración' "
                       "ORDER BY rowid").fetchall()


def test_reglas_de_alerta_anotan_cada_regla_cambiada_con_antes_y_despues(con_memoria):
    guardar_reglas(con_memoria, [Regla(1, "bajo_meta", "nps", None, 28, 0.05, True)], autor="ana")
    con_memoria.execute("DELETE FROM bitacora")
    guardar_reglas(con_memoria, [Regla(1, "bajo_meta", "nps", "canal", 14, 0.05, False)], autor="bea")
    assert _cambios(con_memoria) == [
        ("bea", "Regla de alerta 1: Por debajo de la meta, NPS, total, 28 días, α 0,05, activa → "
                "Por debajo de la meta, NPS, por canal, 14 días, α 0,05, inactiva")]
    guardar_reglas(con_memoria, [], autor="bea")
    assert _cambios(con_memoria)[-1] == (
        "bea", "Regla de alerta 1: Por debajo de la meta, NPS, por canal, 14 días, α 0,05, inactiva → (sin valor)")


def test_reglas_iguales_no_anotan_nada(con_memoria):
    reglas = [Regla(1, "caida_significativa", "csat_media", "equipo", 28, 0.01, True)]
    guardar_reglas(con_memoria, reglas, autor="ana")
    con_memoria.execute("DELETE FROM bitacora")
    guardar_reglas(con_memoria, reglas, autor="ana")
    assert _cambios(con_memoria) == []


def test_temas_anotan_nombre_y_union_con_antes_y_despues(con_memoria):
    guardar_temas(con_memoria, [("f1", "Retrasos", None, "entrega|tarde"), ("f2", None, None, "demora|pedido")],
                  autor="ana")
    assert _cambios(con_memoria) == [("ana", "Nombre del tema «entrega, tarde»: (sin valor) → Retrasos")]
    guardar_temas(con_memoria, [("f1", "Demoras", None, "entrega|tarde"), ("f2", None, "f1", "demora|pedido")],
                  autor="bea")
    assert _cambios(con_memoria)[1:] == [("bea", "Nombre del tema «entrega, tarde»: Retrasos → Demoras"),
                                         ("bea", "Unión del tema «demora, pedido»: (sin valor) → Demoras")]


def test_nombres_de_perfiles_anotan_antes_y_despues(con_memoria):
    guardar_nombres_perfiles(con_memoria, {"f1": "Clientes clave", "f2": None}, autor="ana")
    guardar_nombres_perfiles(con_memoria, {"f1": "Clientes muy clave"}, autor="bea")
    guardar_nombres_perfiles(con_memoria, {"f1": None}, autor="bea")
    assert _cambios(con_memoria) == [("ana", "Nombre del perfil f1: (sin valor) → Clientes clave"),
                                     ("bea", "Nombre del perfil f1: Clientes clave → Clientes muy clave"),
                                     ("bea", "Nombre del perfil f1: Clientes muy clave → (sin valor)")]
