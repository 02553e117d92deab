"""Una ronda de envíos de punta a punta: línea de órdenes, mismas cifras que la página, alcance,
umbrales de privacidad, reintentos y calendario."""

import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta

import pytest

from datos.almacen.conexion import Almacen
from datos.avisos import enviar_pendientes, guardar_envios, validar_envios
from datos.consultas import envios as consultas_envios
from datos.cuentas.configuracion import cambiar_configuracion
from datos.cuentas.usuarios import Usuario, actualizar_usuario, crear_usuario, cuenta_por_usuario
from tests import RAIZ
from tests.apptest import ADMINISTRADORA, abrir, elegir_periodo, sin_errores
from tests.avisos import (LUNES, SEMANA, cifras_del_correo, correo_local, html, puerto_libre,  # noqa: F401 - fixtures
                          texto, webhook_local)

#: Una cuenta de Dirección que solo ve la Sucursal Sur.
NORA = Usuario("nora@empresa.com", "Nora", "dirección", sucursales=("Sucursal Sur",))


def _cifras_de_la_pagina(usuario: Usuario, desde: date, hasta: date) -> dict[str, str]:
    """KPI → valor de las tarjetas del Resumen ejecutivo que ve ``usuario`` con el periodo elegido."""
    at = abrir(usuario=usuario)
    elegir_periodo(at, desde, hasta)
    sin_errores(at)
    return {m.label: m.value for m in at.metric}


def _entregas(almacen: Almacen) -> list[tuple]:
    """(informe, canal, destino, estado, intentos) de cada entrega anotada."""
    return almacen.cursor().execute("SELECT informe, canal, destino, estado, intentos FROM entregas_envios "
                                    "ORDER BY entrega_id").fetchall()


@pytest.fixture
def almacen(demo_nueva):
    """Un almacén de demostración propio de la prueba."""
    return demo_nueva()


def test_ahora_entrega_por_correo_y_webhook_y_el_csat_es_el_de_la_pagina(almacen, correo_local, webhook_local,
                                                                         monkeypatch):
    url, recibidos = webhook_local
    guardar_envios(almacen.cursor(), validar_envios([
        {"para": "direccion@empresa.com", "frecuencia": "semanal", "informe": "resumen"},
        {"para": "alertas@empresa.com", "frecuencia": "diaria", "informe": "alertas", "webhook": url},
        {"para": "jefa@empresa.com", "frecuencia": "mensual", "informe": "realimentacion",
         "equipos": ["Equipo Andes"]},
    ]))
    almacen.cerrar()
    salida = subprocess.run([sys.executable, "-m", "datos.envios", "--db", almacen.ruta, "--ahora", "--fecha",
                             LUNES.date().isoformat()], cwd=RAIZ, env=os.environ, capture_output=True, text=True,
                            timeout=300)
    assert salida.returncode == 0, salida.stderr
    assert "4 entregas enviadas, 0 fallidas." in salida.stdout

    [resumen] = correo_local.para("direccion@empresa.com")
    assert resumen["Subject"] == "Resumen semanal de Eslabón: del 19 de octubre de 2026 al 25 de octubre de 2026"
    assert "https://eslabon.empresa.com" in html(resumen) and "Qué requiere atención" in texto(resumen)
    [alertas] = correo_local.para("alertas@empresa.com")
    [aviso] = recibidos
    assert aviso["informe"] == "alertas" and aviso["alertas"] and aviso["text"] == texto(alertas).rstrip("\n")
    [informe] = correo_local.para("jefa@empresa.com")
    assert [a.get_filename() for a in informe.iter_attachments()] == ["informe_equipo_andes.html"]

    historia = Almacen(almacen.ruta)
    assert sorted(_entregas(historia)) == sorted([
        ("resumen", "correo", "direccion@empresa.com", "enviado", 1),
        ("alertas", "correo", "alertas@empresa.com", "enviado", 1),
        ("alertas", "webhook", "webhook 127.0.0.1", "enviado", 1),
        ("realimentacion", "correo", "jefa@empresa.com", "enviado", 1)])
    assert historia.cursor().execute("SELECT count(*) FROM bitacora WHERE usuario = 'python -m datos.envios' "
                                     "AND accion LIKE 'enviar %'").fetchall() == [(4,)]
    historia.cerrar()

    monkeypatch.setenv("ESLABON_DB", almacen.ruta)
    pagina = _cifras_de_la_pagina(ADMINISTRADORA, *SEMANA)
    correo = cifras_del_correo(resumen)
    assert pagina["CSAT (media 1–5)"] == correo["CSAT (media 1–5)"] != "—"
    assert {k: correo[k] for k in pagina} == pagina


def test_el_alcance_de_la_cuenta_y_de_la_suscripcion_se_aplican_como_en_pantalla(almacen, correo_local,
                                                                                 monkeypatch):
    crear_usuario(almacen.cursor(), NORA.usuario, "clave-de-pruebas-1", NORA.rol, sucursales=NORA.sucursales)
    guardar_envios(almacen.cursor(), validar_envios([
        {"para": ["nora@empresa.com", "direccion@empresa.com"], "frecuencia": "semanal", "informe": "resumen"},
        {"para": "nora@empresa.com", "frecuencia": "semanal", "informe": "resumen", "sucursales": ["Sucursal Norte"]},
    ]))
    informe = enviar_pendientes(almacen.cursor(), LUNES, todos=True)
    assert informe.fallidos == 0 and informe.enviados == 3
    nora_toda, nora_norte = correo_local.para("nora@empresa.com")
    [direccion] = correo_local.para("direccion@empresa.com")
    assert "Alcance: Sucursales: Sucursal Sur" in texto(nora_toda)
    assert "Alcance: Toda la organización" in texto(direccion)
    assert cifras_del_correo(nora_toda)["CSAT (media 1–5)"] != cifras_del_correo(direccion)["CSAT (media 1–5)"]
    assert "Sucursales: fuera del alcance de su cuenta" in texto(nora_norte)
    assert "No hay encuestas ni interacciones en el periodo" in texto(nora_norte)

    monkeypatch.setenv("ESLABON_DB", almacen.ruta)
    almacen.cerrar()
    pagina = _cifras_de_la_pagina(NORA, *SEMANA)
    assert {k: cifras_del_correo(nora_toda)[k] for k in pagina} == pagina


def test_umbrales_de_privacidad_en_el_resumen_y_en_los_informes(almacen, correo_local):
    if cuenta_por_usuario(almacen.cursor(), "admin") is None:  # solo un administrador cambia los umbrales
        crear_usuario(almacen.cursor(), "admin", "clave-de-pruebas-1", "administrador")
    cambiar_configuracion(almacen.cursor(), "privacidad_respuestas", 100, autor="admin")
    cambiar_configuracion(almacen.cursor(), "auditorias_minimas", 500, autor="admin")
    guardar_envios(almacen.cursor(), validar_envios([
        {"para": "norte@empresa.com", "frecuencia": "semanal", "informe": "resumen", "sucursales": ["Sucursal Norte"]},
        {"para": "jefa@empresa.com", "frecuencia": "mensual", "informe": "realimentacion",
         "equipos": ["Equipo Andes"]},
    ]))
    enviar_pendientes(almacen.cursor(), LUNES, todos=True)
    [norte] = correo_local.para("norte@empresa.com")
    cifras = cifras_del_correo(norte)
    assert cifras["CSAT (media 1–5)"] == cifras["NPS"] == "—"
    assert "Oculto por privacidad: solo 18 casos en este segmento" in texto(norte)
    [informe] = correo_local.para("jefa@empresa.com")
    [adjunto] = list(informe.iter_attachments())
    contenido = adjunto.get_content()
    assert "menos de 500 auditorías" in contenido and "Equipo Andes" in contenido


def test_un_smtp_caido_se_reintenta_se_anota_y_la_ronda_siguiente_lo_entrega(almacen, correo_local, monkeypatch):
    guardar_envios(almacen.cursor(), validar_envios([
        {"para": "direccion@empresa.com", "frecuencia": "semanal", "informe": "resumen"}]))
    proximo_lunes = datetime.now() + timedelta(days=7 - datetime.now().weekday())
    bueno = os.environ["ESLABON_SMTP"]
    monkeypatch.setenv("ESLABON_SMTP", f"127.0.0.1:{puerto_libre()}")
    esperas = []
    informe = enviar_pendientes(almacen.cursor(), proximo_lunes, dormir=esperas.append)
    assert (informe.enviados, informe.fallidos, esperas) == (0, 1, [1.0, 2.0])
    assert ("FALLÓ: Resumen ejecutivo a direccion@empresa.com tras 3 intentos: No se pudo conectar: el servidor "
            "rechazó la conexión.") in informe.texto()
    fallos = consultas_envios.fallos_pendientes(almacen.ibis()).to_pandas()
    assert fallos[["destino", "intentos"]].values.tolist() == [["direccion@empresa.com", 3]]

    monkeypatch.setenv("ESLABON_SMTP", bueno)
    correo_local.rechazar = 1
    informe = enviar_pendientes(almacen.cursor(), proximo_lunes + timedelta(minutes=5), dormir=esperas.append)
    assert [(e.enviado, e.intentos) for e in informe.entregas] == [(True, 2)]
    assert consultas_envios.fallos_pendientes(almacen.ibis()).to_pandas().empty
    assert len(correo_local.para("direccion@empresa.com")) == 1
    assert enviar_pendientes(almacen.cursor(), proximo_lunes + timedelta(hours=1)).entregas == ()


def test_las_alertas_salen_una_vez_por_ciclo_y_una_cuenta_desactivada_no_recibe(almacen, correo_local):
    crear_usuario(almacen.cursor(), "baja@empresa.com", "clave-de-pruebas-1", "dirección")
    actualizar_usuario(almacen.cursor(), "baja@empresa.com", rol="dirección", activo=False, autor="admin")
    guardar_envios(almacen.cursor(), validar_envios([
        {"para": ["alertas@empresa.com", "baja@empresa.com"], "frecuencia": "diaria", "informe": "alertas"}]))
    # Mañana a las 9: la segunda ronda (2 horas después) cae el mismo día, a cualquier hora que corra la prueba.
    manana = datetime.combine(date.today() + timedelta(days=1), time(9))
    primera = enviar_pendientes(almacen.cursor(), manana)
    assert [e.destino for e in primera.entregas] == ["alertas@empresa.com"]
    assert "No se envió alertas al dispararse a baja@empresa.com: su cuenta de Eslabón está desactivada." in \
        primera.notas
    segunda = enviar_pendientes(almacen.cursor(), manana + timedelta(hours=2))
    assert segunda.entregas == () and "Sin alertas nuevas para alertas@empresa.com." in segunda.notas
    tercera = enviar_pendientes(almacen.cursor(), manana + timedelta(days=1))
    assert [e.destino for e in tercera.entregas] == ["alertas@empresa.com"]
    assert len(correo_local.para("alertas@empresa.com")) == 2 and correo_local.para("baja@empresa.com") == []


def test_la_linea_de_ordenes_no_crea_una_base_que_no_existe(tmp_path):
    ruta = tmp_path / "no" / "existe.duckdb"
    salida = subprocess.run([sys.executable, "-m", "datos.envios", "--db", str(ruta), "--ahora"], cwd=RAIZ,
                            capture_output=True, text=True, timeout=120)
    assert salida.returncode == 2 and "No existe la base de datos" in salida.stderr
    assert not ruta.parent.exists()
