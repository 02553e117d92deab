"""Tiempo de temas y sentimiento para un millón de comentarios (``analisis.comentarios``).

Datos: los comentarios de la demostración (``datos.demo``, con su nota) como plantillas, variados
al azar para que se parezcan a los reales: aperturas y cierres, letras repetidas («muuuy»),
emojis, números de pedido (casi todos los textos quedan distintos) y, en el 2 %, un correo o un
teléfono que hay que enmascarar. El archivo de demostración a escala 200 tiene solo 55 textos
distintos (todo se resolvería con la deduplicación), por eso se generan los comentarios aquí.

Se mide, como en la página (ajuste sobre una muestra, asignación de todos por lotes):

* limpieza (enmascarado + normalización) de todos los comentarios;
* temas: ``temas`` sobre la muestra de ``LIMITE_MODELOS_COMENTARIOS`` (50.000) con número de temas
  automático (estabilidad) y, después, ``Temas.transformar`` de todos los comentarios por lotes;
* sentimiento: ``entrenar_sentimiento`` sobre la misma muestra (validación + reentrenamiento) y
  ``predecir`` de todos los comentarios;
* línea base ingenua del ajuste, medida en la misma corrida sobre ``--base`` comentarios y
  extrapolada linealmente (cota baja): cada texto limpiado uno a uno, TF-IDF + NMF ajustados sobre
  *todos* con el mismo número de temas y la regresión logística sobre todos los calificados (sin
  elegir k ni validar); más el acuerdo (índice de Rand ajustado) entre los temas así ajustados y
  los de la muestra. La asignación de todos los comentarios cuesta lo mismo en ambos casos.

Todo corre en un hilo (BLAS limitado a 1), como en la aplicación.

Uso: ``python3 benchmarks/comentarios.py [--comentarios 1000000] [--base 100000] [--semilla 0]``
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analisis import comentarios as cm  # noqa: E402
from analisis.comentarios._eleccion import modelo_nmf  # noqa: E402
from analisis.comentarios._sentimiento import tuberia_sentimiento  # noqa: E402
from analisis.comentarios._temas import pesos_por_grupo  # noqa: E402
from analisis.comentarios._vocabulario import vectorizador_temas  # noqa: E402
from analisis.formato import numero  # noqa: E402
from analisis.texto import enmascarar, enmascarar_todos, limpiar, normalizar  # noqa: E402
from datos import demo  # noqa: E402
from datos.consultas import comentarios as consultas_comentarios  # noqa: E402
from datos.almacen.conexion import Almacen  # noqa: E402
from datos.consultas.comentarios import LIMITE_MODELOS_COMENTARIOS  # noqa: E402
from datos.consultas.filtros import Filtros  # noqa: E402

_APERTURAS = ("", "", "", "Hola, ", "Bueno, ", "La verdad, ", "Sinceramente: ", "Otra vez lo mismo: ", "Uf, ",
              "Quiero decir que ")
_CIERRES = ("", "", "", ".", "!!", "...", " 😡", " 🙂", " 👍", " gracias", ". Saludos", " :(", " :)", " jajaja")
_DATOS = ("Mi correo es cliente{0}@correo.com", "Llámenme al 300 {0:03d} 45{0:02d}", "Escriban a ana.{0}@mail.co")


def _cronometrar(funcion, *argumentos, **opciones):
    """(resultado, segundos) de una llamada."""
    inicio = time.perf_counter()
    resultado = funcion(*argumentos, **opciones)
    return resultado, time.perf_counter() - inicio


def _plantillas() -> pd.DataFrame:
    """Comentarios (con su CSAT y NPS) de una demostración pequeña generada en memoria."""
    almacen = Almacen(":memory:")
    demo.cargar_demo(almacen.cursor(), escala=0.5)
    tabla = consultas_comentarios.comentarios_encuestas(almacen.ibis(), Filtros()).to_pandas()
    tabla = tabla[["comentario", "csat", "nps"]]
    almacen.cerrar()
    return tabla


def _alargar(texto: str, rng: np.random.Generator) -> str:
    """Repite una vocal de la primera palabra larga («muuuy»), como escriben muchos clientes."""
    palabras = texto.split(" ")
    for i, palabra in enumerate(palabras):
        vocal = next((j for j, letra in enumerate(palabra) if letra in "aeiou"), None)
        if len(palabra) > 4 and vocal is not None:
            palabras[i] = palabra[:vocal] + palabra[vocal] * int(rng.integers(2, 5)) + palabra[vocal:]
            break
    return " ".join(palabras)


def generar(n: int, semilla: int) -> pd.DataFrame:
    """``n`` comentarios variados a partir de las plantillas de la demostración, con su CSAT y NPS."""
    rng = np.random.default_rng(semilla)
    plantillas = _plantillas()
    elegidas = plantillas.iloc[rng.integers(0, len(plantillas), n)].reset_index(drop=True)
    apertura = rng.integers(0, len(_APERTURAS), n)
    cierre = rng.integers(0, len(_CIERRES), n)
    pedido, dato, alargar = rng.random(n) < 0.7, rng.random(n) < 0.02, rng.random(n) < 0.1
    numeros = rng.integers(0, 100_000, n)
    textos = []
    for i, texto in enumerate(elegidas["comentario"]):
        texto = _alargar(texto, rng) if alargar[i] else texto
        if pedido[i]:
            texto += f", pedido {numeros[i]}"
        if dato[i]:
            texto += ". " + _DATOS[numeros[i] % len(_DATOS)].format(numeros[i] % 1000)
        textos.append(_APERTURAS[apertura[i]] + (texto[0].lower() + texto[1:] if apertura[i] else texto)
                      + _CIERRES[cierre[i]])
    return elegidas.assign(comentario=textos)


def _linea_base(tabla: pd.DataFrame, k: int, semilla: int) -> tuple[np.ndarray, float]:
    """Limpieza texto a texto y TF-IDF + NMF (con los mismos pesos por tono) + regresión logística ajustados sobre
    todas las filas: (temas, segundos)."""
    inicio = time.perf_counter()
    limpios = np.array([normalizar(enmascarar(t)) for t in tabla["comentario"]], dtype=object)
    tonos = cm.tonos_de_encuestas(tabla)
    with threadpool_limits(limits=1):
        matriz = vectorizador_temas(len(limpios)).fit_transform(limpios)
        matriz = matriz.multiply(np.sqrt(pesos_por_grupo(tonos))[:, None]).tocsr()
        pesos = modelo_nmf(k, semilla).fit_transform(matriz)
        util = np.isin(tonos, ["negativo", "positivo"])
        tuberia_sentimiento(semilla).fit(list(limpios[util]), tonos[util] == "positivo")
    temas = np.where(pesos.sum(axis=1) > 0, pesos.argmax(axis=1), cm.SIN_TEMA)
    return temas, time.perf_counter() - inicio


def medir(n: int, base: int, semilla: int) -> None:
    """Genera los comentarios, mide cada paso y la línea base, e imprime tiempos y cocientes."""
    tabla, t_generar = _cronometrar(generar, n, semilla)
    print(f"{numero(n, 0)} comentarios generados en {t_generar:.1f} s "
          f"({numero(tabla['comentario'].nunique(), 0)} textos distintos)")
    limpios, t_limpiar = _cronometrar(limpiar, tabla["comentario"])
    enmascarados = int(sum("[" in t for t in enmascarar_todos(tabla["comentario"].iloc[:100_000])))
    muestra = tabla.sample(min(n, LIMITE_MODELOS_COMENTARIOS), random_state=semilla)
    resultado, t_temas = _cronometrar(cm.temas, muestra["comentario"], grupos=cm.tonos_de_encuestas(muestra),
                                      semilla=semilla)
    asignados, t_asignar = _cronometrar(resultado.transformar, limpios, limpios=True)
    modelo, t_entrenar = _cronometrar(cm.entrenar_sentimiento, muestra["comentario"], muestra["csat"],
                                      semilla=semilla)
    tonos, t_predecir = _cronometrar(modelo.predecir, limpios, limpios=True)
    total = t_limpiar + t_temas + t_asignar + t_entrenar + t_predecir
    print(f"\nlimpieza de todos (enmascarado + normalización) : {t_limpiar:7.1f} s  "
          f"({enmascarados} de los primeros 100.000 con datos personales enmascarados)")
    print(f"temas: ajuste sobre {numero(len(muestra), 0)} (k automático)   : {t_temas:7.1f} s  "
          f"k = {resultado.k}, estabilidad {resultado.estabilidad[resultado.k]:.2f}")
    print(f"temas: asignación de todos (ya limpios) por lotes : {t_asignar:7.1f} s  "
          f"sin tema: {(asignados['tema'] == cm.SIN_TEMA).mean():.1%}")
    print(f"sentimiento: validación + ajuste sobre la muestra: {t_entrenar:7.1f} s  "
          f"exactitud de validación {modelo.exactitud_validacion:.3f}")
    print(f"sentimiento: predicción de todos (ya limpios)   : {t_predecir:7.1f} s  "
          f"negativos {np.mean(tonos == 'negativo'):.1%}")
    print(f"TOTAL limpieza + temas + sentimiento de {numero(n, 0)}: {total:7.1f} s")
    for k, nombre in resultado.nombres.items():
        print(f"   tema {k + 1}: {nombre}  ·  {', '.join(resultado.palabras[k][:5])}")

    filas = tabla.iloc[:min(base, n)]
    temas_base, t_base = _linea_base(filas, resultado.k, semilla)
    acuerdo = adjusted_rand_score(temas_base, asignados["tema"].iloc[:len(filas)])
    extrapolado = t_base * n / len(filas)
    entrenamiento = t_temas + t_entrenar
    print(f"\nAjuste de los modelos (la asignación de todos, {t_asignar + t_predecir:.1f} s, "
          "es la misma en ambos casos):")
    print(f"  método: muestra de {numero(len(muestra), 0)} (con elección de k y validación)  : {entrenamiento:7.1f} s")
    print(f"  línea base: todo con todos, medido con {numero(len(filas), 0)}            : {t_base:7.1f} s  → "
          f"≈ {extrapolado:7.1f} s con {numero(n, 0)} (lineal, cota baja; sin elegir k ni validar)")
    print(f"  cociente línea base / método                                 : {extrapolado / entrenamiento:7.1f} ×")
    print(f"  acuerdo de temas muestra vs. todos (Rand ajustado, {numero(len(filas), 0)}) : {acuerdo:7.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 benchmarks/comentarios.py", description=__doc__.split("\n")[0])
    parser.add_argument("--comentarios", type=int, default=1_000_000, help="comentarios (por omisión 1.000.000)")
    parser.add_argument("--base", type=int, default=100_000,
                        help="comentarios sobre los que se mide la línea base ingenua (por omisión 100.000)")
    parser.add_argument("--semilla", type=int, default=0, help="semilla de la generación y de los modelos")
    argumentos = parser.parse_args(argv)
    medir(argumentos.comentarios, argumentos.base, argumentos.semilla)
    return 0


if __name__ == "__main__":
    sys.exit(main())
