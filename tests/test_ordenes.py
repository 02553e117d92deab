"""Toda orden de línea de órdenes responde a --help en español y sin efectos."""

import subprocess
import sys
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent
ORDENES = [["-m", "datos.demo"], ["-m", "datos.cargar"], ["-m", "datos.lago"], ["-m", "datos.envios"]] + [
    [str(p.relative_to(RAIZ))] for p in sorted((RAIZ / "benchmarks").glob("*.py")) if p.name != "comun.py"]


@pytest.mark.parametrize("orden", ORDENES, ids=lambda o: o[-1])
def test_ayuda(orden):
    resultado = subprocess.run([sys.executable, *orden, "--help"], cwd=RAIZ, capture_output=True, text=True,
                               timeout=120)
    assert resultado.returncode == 0, resultado.stderr
    assert "--" in resultado.stdout and ("usage" in resultado.stdout or "uso" in resultado.stdout)
