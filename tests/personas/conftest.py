"""Una persona de la demostración con datos reconocibles: correo, teléfono y comentarios únicos."""

import json
from dataclasses import dataclass

import pytest

from datos.ajustes.perfiles import guardar_nombres_perfiles
from datos.ajustes.temas import guardar_temas
from datos.almacen.conexion import Almacen

#: Palabras que solo la persona marcada usa (y sus raíces, como las guarda un tema): no deben quedar en ningún sitio.
DISTINTIVAS = ("zoe", "quintana", "ybarra", "quintan", "ybarr")


@dataclass(frozen=True)
class Marcada:
    """La persona marcada: su identificador y los textos suyos que no deben quedar en ningún sitio."""

    cliente_id: str
    correo: str
    telefono: str
    textos: tuple[str, ...]


def marcar(almacen: Almacen) -> Marcada:
    """Da a un cliente de la demo (con comentarios y notas de auditoría sobre sus contactos) textos únicos."""
    con = almacen.cursor()
    cliente_id = con.execute(
        "SELECT i.cliente_id FROM interacciones i JOIN auditorias a USING (interaccion_id) "
        "WHERE a.comentario IS NOT NULL AND i.cliente_id IN "
        "(SELECT cliente_id FROM encuestas WHERE comentario IS NOT NULL) ORDER BY 1 LIMIT 1").fetchall()[0][0]
    correo, telefono = "zoe.quintana.ybarra@example.com", "+34 600 111 222"
    con.execute("UPDATE clientes SET atributos = ? WHERE cliente_id = ?",
                [json.dumps({"correo": correo, "telefono": telefono, "perfil": "Zoe la exigente"}), cliente_id])
    respuestas = [f[0] for f in con.execute("SELECT respuesta_id FROM encuestas WHERE cliente_id = ? "
                                            "AND comentario IS NOT NULL ORDER BY 1", [cliente_id]).fetchall()]
    textos = []
    for k, respuesta in enumerate(respuestas):
        textos.append(f"Soy Zoe Quintana Ybarra y me atendieron mal, queja número {k}")
        con.execute("UPDATE encuestas SET comentario = ? WHERE respuesta_id = ?", [textos[-1], respuesta])
    textos.append("Auditoría: la clienta Zoe Quintana Ybarra se quejó")
    con.execute("UPDATE auditorias SET comentario = ? WHERE comentario IS NOT NULL AND interaccion_id IN "
                "(SELECT interaccion_id FROM interacciones WHERE cliente_id = ?)", [textos[-1], cliente_id])
    con.execute("INSERT INTO bitacora (usuario, accion, detalle) VALUES ('ana', 'nota', ?)",
                [f"llamada de {cliente_id} por su queja"])
    return Marcada(cliente_id, correo, telefono, tuple(textos))


def nombrar_con_sus_palabras(almacen: Almacen) -> None:
    """Lo derivado que guarda palabras de sus comentarios: temas (palabras y nombre), perfiles y la bitácora.

    «client» (de «clienta», en su nota de auditoría) también lo usan las notas sobre otros clientes (se queda);
    «entreg» y «tard» no son de ella.
    """
    con = almacen.cursor()
    guardar_temas(con, [("f-1", "Quejas de Zoe Quintana", None, "client|quintan|ybarr"),
                        ("f-2", "Entregas tardías", None, "entreg|tard"),
                        ("f-3", None, "f-2", "quintan zoe|ybarr")], autor="ana")
    guardar_nombres_perfiles(con, {"p-1": "Clientas como Ybarra", "p-2": "Clientes fieles"}, autor="ana")


@pytest.fixture
def demo_marcada(demo_nueva):
    """(almacén propio de la demo, persona marcada)."""
    almacen = demo_nueva()
    return almacen, marcar(almacen)
