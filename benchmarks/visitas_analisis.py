"""Primera y segunda visita de las páginas de análisis pesado (Cadena, Perfiles, Comentarios, Brechas).

Cada página se mide en un proceso nuevo (cachés vacías), con ``streamlit.testing.v1.AppTest`` y una
sesión de administradora: se entra al resumen, se abre la página (primera visita), se vuelve al
resumen y se abre otra vez (segunda visita). Con ``--precalculo`` se deja antes correr el precálculo
de fondo (``datos.precalculo``), como ocurre tras una carga o al arrancar el servidor; sin él, la página
se abre enseguida (el precálculo, que arranca con la aplicación, corre a la vez). Con ``--perfil`` se imprime, para la
primera y la segunda visita, dónde se fue el tiempo: un muestreo cada 10 ms de las pilas de los hilos que ejecutan la
página (AppTest la corre en otro hilo), con la parte de las muestras en que aparece cada función de Eslabón.

El almacén se copia a una carpeta temporal (la aplicación lo migra al abrirlo): el original no se toca.

Uso: ``python3 benchmarks/visitas_analisis.py ALMACEN.duckdb [--precalculo] [--perfil] [--paginas cadena perfiles]``
"""

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

PAGINAS = ("cadena", "perfiles", "comentarios", "brechas")


class Muestreo:
    """Muestrea cada ``intervalo`` segundos las pilas de los demás hilos y cuenta las funciones de Eslabón."""

    def __init__(self, intervalo: float = 0.01):
        self.intervalo, self.muestras, self.cuentas = intervalo, 0, collections.Counter()
        self._parar = threading.Event()
        self._hilo = threading.Thread(target=self._muestrear, daemon=True)

    def _muestrear(self) -> None:
        """Bucle del hilo de muestreo."""
        propio = threading.get_ident()
        while not self._parar.wait(self.intervalo):
            for hilo, marco in sys._current_frames().items():
                if hilo in (propio, threading.main_thread().ident):
                    continue
                vistas = set()
                while marco is not None:
                    archivo = marco.f_code.co_filename
                    if any(f"/{p}/" in archivo for p in ("analisis", "datos", "paginas")) and str(RAIZ) in archivo:
                        vistas.add(f"{Path(archivo).relative_to(RAIZ)}:{marco.f_code.co_name}")
                    marco = marco.f_back
                if any(v.startswith("paginas/") for v in vistas):
                    self.muestras += 1
                    self.cuentas.update(vistas)

    def __enter__(self) -> "Muestreo":
        self._hilo.start()
        return self

    def __exit__(self, *_) -> None:
        self._parar.set()
        self._hilo.join()

    def informe(self, filas: int = 30) -> str:
        """Las ``filas`` funciones que más aparecen, con su parte de las muestras (tiempo inclusivo)."""
        return "\n".join(f"  {100 * n / max(self.muestras, 1):5.1f} %  {nombre}"
                         for nombre, n in self.cuentas.most_common(filas))


def _visitar(at, pagina: str, muestreo: Muestreo | None) -> float:
    """Segundos que tarda en abrirse ``pagina`` en ``at``, muestreada con ``muestreo`` si lo hay."""
    inicio = time.perf_counter()
    if muestreo is None:
        at.switch_page(f"paginas/{pagina}.py").run()
    else:
        with muestreo:
            at.switch_page(f"paginas/{pagina}.py").run()
    return time.perf_counter() - inicio


def _medir(pagina: str, precalculo: bool, perfil: bool) -> dict:
    """Dentro del proceso hijo: segundos de la primera y la segunda visita a ``pagina``."""
    from tests.apptest import abrir, sin_errores  # noqa: PLC0415 - solo en el proceso hijo, con ESLABON_DB ya puesto

    from paginas import comun  # noqa: PLC0415

    segundos = {}
    inicio = time.perf_counter()
    at = abrir()
    if precalculo:
        precalculador = comun.en_marcha().precalculador
        precalculador.esperar(comun.almacen().version_datos(), 3600)
        segundos["precalculo"] = time.perf_counter() - inicio
        ultima = precalculador.estado.ultima
        segundos["vistas"] = ", ".join(f"{v} {s:.1f} s" for v, s in (ultima.segundos if ultima else {}).items())
    primera, segunda = Muestreo(), Muestreo()
    segundos["primera"] = _visitar(at, pagina, primera if perfil else None)
    sin_errores(at)
    at.switch_page("paginas/resumen.py").run()
    segundos["segunda"] = _visitar(at, pagina, segunda if perfil else None)
    if perfil:
        segundos["perfil"] = f"primera visita:\n{primera.informe()}\nsegunda visita:\n{segunda.informe()}"
    return segundos


def main() -> None:
    """Mide cada página en un proceso propio e imprime la tabla."""
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("almacen")
    argumentos.add_argument("--precalculo", action="store_true")
    argumentos.add_argument("--perfil", action="store_true")
    argumentos.add_argument("--paginas", nargs="+", default=list(PAGINAS), choices=PAGINAS)
    argumentos.add_argument("--hijo", help=argparse.SUPPRESS)
    elegidos = argumentos.parse_args()
    if elegidos.hijo:
        print(json.dumps(_medir(elegidos.hijo, elegidos.precalculo, elegidos.perfil)))
        return
    for pagina in elegidos.paginas:
        with tempfile.TemporaryDirectory() as carpeta:
            copia = Path(carpeta) / "almacen.duckdb"
            shutil.copyfile(elegidos.almacen, copia)
            orden = [sys.executable, __file__, elegidos.almacen, "--hijo", pagina]
            orden += ["--precalculo"] * elegidos.precalculo + ["--perfil"] * elegidos.perfil
            hecho = subprocess.run(orden, env={**os.environ, "ESLABON_DB": str(copia)}, cwd=RAIZ,
                                   capture_output=True, text=True, check=False)
        if hecho.returncode:
            print(f"{pagina}: falló\n{hecho.stderr[-3000:]}")
            continue
        medidas = json.loads(hecho.stdout.strip().splitlines()[-1])
        extra = f" (precálculo {medidas['precalculo']:.1f} s: {medidas['vistas']})" if "precalculo" in medidas else ""
        print(f"{pagina:12s} primera {medidas['primera']:6.2f} s · segunda {medidas['segunda']:6.2f} s{extra}")
        if "perfil" in medidas:
            print(medidas["perfil"])


if __name__ == "__main__":
    main()
