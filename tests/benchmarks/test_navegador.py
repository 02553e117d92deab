"""La lectura de las esperas en Chromium y la tabla del benchmark de navegador."""

from types import SimpleNamespace

import pytest

from benchmarks.navegador import Medida, fin_de_espera, pestanas_perezosas, preparar, tabla, version_al_dia


def test_la_espera_termina_en_la_ultima_salida_de_running_tras_la_quietud():
    transiciones = [[100, "notRunning"], [210, "running"], [900, "notRunning"], [950, "running"], [1400, "notRunning"]]
    assert fin_de_espera(transiciones, 200, 2000, 500) == 1400.0


def test_una_reejecucion_encadenada_dentro_de_la_quietud_alarga_la_espera():
    primera = [[210, "running"], [900, "notRunning"]]
    assert fin_de_espera(primera, 200, 1000, 500) is None  # aún puede venir otra ejecución
    assert fin_de_espera(primera + [[1100, "running"]], 200, 1700, 500) is None  # y vino: sigue
    assert fin_de_espera(primera + [[1100, "running"], [1300, "notRunning"]], 200, 1900, 500) == 1300.0


def test_sin_ejecucion_despues_del_inicio_no_hay_fin():
    assert fin_de_espera([[100, "running"], [150, "notRunning"]], 200, 5000, 500) is None
    assert fin_de_espera([], 0, 5000, 500) is None


def test_tabla_con_coma_decimal_cociente_y_huecos():
    texto = tabla([Medida("entrar", {2.0: 1.25, 200.0: 2.5}), Medida("Cadena, primera visita", {2.0: 3.0})])
    lineas = texto.splitlines()
    assert lineas[0].split() == ["espera", "(s)", "escala", "2", "escala", "200", "cociente"]
    assert lineas[1].split() == ["entrar", "1,25", "2,50", "2,0"]
    assert lineas[2].split()[-3:] == ["3,00", "—", "—"]


def test_tabla_con_una_sola_escala_no_inventa_cociente():
    assert tabla([Medida("entrar", {2.0: 1.0})], (2.0,)).splitlines()[1].split() == ["entrar", "1,00", "—"]


def test_preparar_copia_el_origen_sin_tocarlo_y_reutiliza(tmp_path, monkeypatch):
    monkeypatch.setattr("benchmarks.navegador.CARPETA", tmp_path / "datos")
    origen = tmp_path / "origen.duckdb"
    origen.write_bytes(b"contenido")
    copia = preparar(2.0, origen, False, nombre="prueba")
    assert copia.name == "prueba_2.duckdb" and copia.read_bytes() == b"contenido"
    copia.write_bytes(b"cambiado")
    assert preparar(2.0, origen, True, nombre="prueba").read_bytes() == b"cambiado"  # --reutilizar
    assert preparar(2.0, origen, False, nombre="prueba").read_bytes() == b"contenido"
    assert origen.read_bytes() == b"contenido"


@pytest.mark.parametrize("quietud", [0, 300])
def test_la_quietud_cuenta_desde_la_ultima_transicion(quietud):
    assert fin_de_espera([[10, "running"], [90, "notRunning"]], 0, 90 + quietud, quietud) == 90.0


def test_la_version_precalculada_se_lee_del_estado_de_operacion():
    """Tras una carga, el benchmark espera a que «Operación» dé por precalculada una versión posterior."""
    assert version_al_dia("Al día: la versión 12 de los datos quedó precalculada el 07/12/2026 08:05, en 38 s "
                          "(empezó el 07/12/2026 08:04).") == 12
    assert version_al_dia("Al día: la versión 7 de los datos quedó precalculada") == 7


class _Pagina:
    """Lo que ``pestanas_perezosas`` pregunta a la página de Playwright: sus pestañas no abiertas."""

    def locator(self, selector: str):
        assert selector == '[role="tab"][aria-selected="false"]'
        return SimpleNamespace(all_inner_texts=lambda: ["Perfil de un agente", "Calibración"])


def test_se_miden_los_cambios_de_pestana_solo_donde_ejecutan_la_pagina():
    assert pestanas_perezosas(_Pagina(), "paginas/brechas.py") == ["Perfil de un agente", "Calibración"]
    assert pestanas_perezosas(_Pagina(), "paginas/cadena.py") == ["Perfil de un agente", "Calibración"]
    # Pestañas de Streamlit sin estado: el navegador las cambia sin ejecutar nada, no hay espera que medir.
    assert pestanas_perezosas(_Pagina(), "paginas/organizacion.py") == []
    assert pestanas_perezosas(_Pagina(), "paginas/resumen.py") == []
