"""El archivo TOML de la configuración y ``python -m datos.configuracion`` (exportar / importar, estados 0, 1 y 2)."""

import subprocess
import sys
from datetime import date

import pytest

from analisis.errores import AjusteNoValido
from datos.ajustes import archivo_toml
from datos.ajustes.cli import main
from datos.ajustes.organizacion import Configuracion, Etapa, MetaDesde, aplicar, leer
from datos.almacen.conexion import Almacen
from datos.ingesta.escalas import Escala
from tests import RAIZ

EJEMPLO_DEL_ISSUE = '''
[cadena]
etapas = ["Reserva", "Embarque", "A bordo"]   # en el orden de la cadena
metas = { "Embarque" = 4.2 }

[escalas.etapas]
minimo = 1
maximo = 5
sin_dato = [0]

[etiquetas]
"Muy satisfecho" = 5
"neutral or dissatisfied" = 1

[metas]
csat_media = 4.0
'''


def _leer_db(ruta) -> Configuracion:
    almacen = Almacen(str(ruta))
    try:
        return leer(almacen.cursor())
    finally:
        almacen.cerrar()


def test_las_claves_del_issue(tmp_path):
    config = archivo_toml.desde_texto(EJEMPLO_DEL_ISSUE)
    assert config.etapas == (Etapa("Reserva"), Etapa("Embarque", "", 4.2), Etapa("A bordo"))
    assert config.escalas == {"etapas": Escala(1, 5, (0.0,))}
    assert config.etiquetas == {"Muy satisfecho": 5, "neutral or dissatisfied": 1}
    assert config.metas == {"csat_media": 4.0}
    assert config.promesas is None and config.metas_por_fecha is None


def test_importar_aplica_y_exportar_reproduce_en_otro_almacen(tmp_path):
    archivo = tmp_path / "org.toml"
    archivo.write_text(EJEMPLO_DEL_ISSUE + '''
[promesas]
"Chat" = 5

[[metas_por_fecha]]
kpi = "csat_media"
meta = 4.3
desde = 2027-01-01
sucursal = "Sucursal Norte"
''', encoding="utf-8")
    assert main(["importar", str(archivo), "--db", str(tmp_path / "a.duckdb")]) == 0
    primera = _leer_db(tmp_path / "a.duckdb")
    assert primera.metas_por_fecha == (MetaDesde("csat_media", 4.3, date(2027, 1, 1), "Sucursal Norte"),)
    assert primera.etiquetas == {"muy satisfecho": 5, "neutral or dissatisfied": 1}
    exportado = tmp_path / "exportado.toml"
    assert main(["exportar", str(exportado), "--db", str(tmp_path / "a.duckdb")]) == 0
    assert main(["importar", str(exportado), "--db", str(tmp_path / "b.duckdb")]) == 0
    assert _leer_db(tmp_path / "b.duckdb") == primera
    assert [e.nombre for e in primera.etapas] == ["Reserva", "Embarque", "A bordo"]


@pytest.mark.parametrize("texto, mensaje", [
    ('[cadena]\netapas = ["Reserva", "Reserva"]\n', "repetida"),
    ('[escalas.etapas]\nminimo = 5\nmaximo = 1\n', "menor que el máximo"),
    ('[cadena]\netapas = "Reserva"\n', "lista de nombres"),
    ('[cadena]\netapas = ["A"]\nmetas = { "B" = 4 }\n', "no está en etapas"),
    ('[metas]\ncsat_media = "alta"\n', "debe ser un número"),
    ('[cadenas]\netapas = ["A"]\n', "clave desconocida"),
    ('[cadena\n', "no es TOML válido"),
])
def test_un_archivo_roto_no_cambia_nada(tmp_path, capsys, texto, mensaje):
    db = tmp_path / "a.duckdb"
    almacen = Almacen(str(db))
    aplicar(almacen.cursor(), Configuracion(etapas=(Etapa("Original"),)), usuario="prueba")
    almacen.cerrar()
    antes = _leer_db(db)
    archivo = tmp_path / "roto.toml"
    archivo.write_text(texto, encoding="utf-8")
    assert main(["importar", str(archivo), "--db", str(db)]) == 1
    assert mensaje in capsys.readouterr().err
    assert _leer_db(db) == antes


def test_repetida_y_minimo_sobre_maximo_juntos_se_informan_a_la_vez(tmp_path):
    with pytest.raises(AjusteNoValido) as error:
        archivo_toml.desde_texto('[cadena]\netapas = ["A", "a"]\n[escalas.etapas]\nminimo = 5\nmaximo = 1\n')
    assert "repetida" in error.value.mensaje and "menor que el máximo" in error.value.mensaje


def test_archivo_ilegible_o_argumentos_malos_salen_con_2(tmp_path, capsys):
    assert main(["importar", str(tmp_path / "no_existe.toml"), "--db", str(tmp_path / "a.duckdb")]) == 2
    assert "No se pudo leer" in capsys.readouterr().err
    binario = tmp_path / "binario.toml"
    binario.write_bytes(b"\xff\xfe\x00")
    assert main(["importar", str(binario), "--db", str(tmp_path / "a.duckdb")]) == 2
    with pytest.raises(SystemExit) as salida:
        main(["borrar", "x.toml"])
    assert salida.value.code == 2


def test_la_orden_existe_con_ayuda_en_espanol():
    salida = subprocess.run([sys.executable, "-m", "datos.configuracion", "--help"], cwd=RAIZ, capture_output=True,
                            text=True, timeout=60)
    assert salida.returncode == 0 and "exportar" in salida.stdout and "contenido no válido" in salida.stdout
