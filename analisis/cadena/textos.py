"""Lo que lee el usuario de la página de la cadena: titulares, avisos, cajas del diagrama y tablas en español."""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.cadena.clasificacion import ClasificacionCadena
from analisis.cadena.configuracion import Resultado, umbral_alto, umbral_bajo
from analisis.cadena.eslabon import ResultadoCadena
from analisis.cadena.segmentos import ComparacionSegmentos
from analisis.cadena.validacion import validar_muestra_minima
from analisis.formato import con_signo, numero, porcentaje

__all__ = ["TextosCadena", "describir", "texto_cobertura", "texto_mapa", "cajas_cadena", "tabla_importancia",
           "ayuda_importancia",
           "tabla_desempeno", "tabla_operativa", "tabla_tiempos", "tabla_segmentos"]


@dataclass(frozen=True)
class TextosCadena:
    """Los textos (en español) del titular de la página de la cadena."""

    titular: str
    confianza: str
    ganancia: str | None
    ajuste: str
    no_significativas: str | None
    aviso: str | None
    metodo: str


def _formato_desempeno(valor: float, medida: str) -> str:
    """Media con dos decimales o top-2-box en porcentaje."""
    return numero(valor, 2) if medida == "media" else porcentaje(valor, 1)


def _formato_ganancia(valor: float, tipo: str, unidad: str) -> str:
    """Ganancia con signo: puntos del resultado, o puntos porcentuales si es sí/no."""
    if tipo == "binario":
        return con_signo(None if math.isnan(valor) else 100 * valor, 1, f" {unidad}")
    return con_signo(valor, 2, f" {unidad}")


def _metodo(resultado: ResultadoCadena) -> str:
    """Texto de ayuda que nombra los métodos usados."""
    modelo = ("pesos relativos de Johnson (2000) sobre una regresión lineal" if resultado.tipo_resultado == "continuo"
              else "pesos relativos sobre una regresión logística (Tonidandel y LeBreton 2010)")
    return (f"Importancia: {modelo}; reparten el R² entre las etapas aunque estén correlacionadas. Intervalos: "
            f"bootstrap por lotes con {numero(resultado.remuestras, 0)} remuestras (percentiles 2,5–97,5). "
            "Significación: comparación con una variable de ruido (Tonidandel, LeBreton y Johnson 2009). "
            "Prioridad = peso × brecha frente a la "
            f"{'meta' if resultado.referencia == 'meta' else 'mejor etapa'}. Respuestas vacías: correlaciones "
            "con los casos completos de cada par, sin descartar encuestados.")


def describir(resultado: ResultadoCadena, objetivo: Resultado, *, muestra_minima: int = 30) -> TextosCadena:
    """Textos del titular: eslabón, seguridad, ganancia esperada, ajuste del modelo y avisos.

    ``objetivo`` es el resultado explicado (uno de ``RESULTADOS``), para nombrarlo y dar la unidad.
    """
    validar_muestra_minima(muestra_minima)
    tabla = resultado.importancia
    eslabon = resultado.eslabon_mas_debil
    if eslabon is None:
        titular = ("Ninguna etapa está por debajo de su meta" if resultado.referencia == "meta"
                   else "Todas las etapas rinden igual: no hay un eslabón más débil")
        confianza, ganancia = "La prioridad (peso × brecha) es cero en todas las etapas.", None
    else:
        titular = f"El eslabón más débil: {eslabon}"
        confianza = _texto_confianza(resultado)
        fila = tabla.loc[eslabon]
        meta = "su meta" if resultado.referencia == "meta" else "el nivel de la mejor etapa"
        ganancia = (f"Si «{eslabon}» llegara a {meta} ({_formato_desempeno(fila['referencia'], resultado.medida)}; "
                    f"hoy {_formato_desempeno(fila['desempeno'], resultado.medida)}), el modelo prevé "
                    f"{_formato_ganancia(fila['ganancia'], resultado.tipo_resultado, objetivo.unidad)}")
        if not math.isnan(fila["ganancia_inf"]):
            ganancia += (f" (IC 95 %: {_formato_ganancia(fila['ganancia_inf'], resultado.tipo_resultado, '').strip()}"
                         f" a {_formato_ganancia(fila['ganancia_sup'], resultado.tipo_resultado, '').strip()})")
        ganancia += "."
    medida_r2 = "R²" if resultado.tipo_resultado == "continuo" else "R² observado–predicho"
    ajuste = (f"Las etapas explican el {porcentaje(resultado.r2)} de la variación en {objetivo.nombre} "
              f"({medida_r2} = {numero(resultado.r2, 2)}")
    if not math.isnan(resultado.r2_inf):
        ajuste += f"; IC 95 %: {numero(resultado.r2_inf, 2)}–{numero(resultado.r2_sup, 2)}"
    ajuste += f"; n = {numero(resultado.n, 0)})."
    debiles = resultado.no_significativas
    no_significativas = ("No se distinguen del ruido (importancia no significativa): " + ", ".join(debiles) + "."
                         if debiles else None)
    return TextosCadena(titular, confianza, ganancia, ajuste, no_significativas,
                        _aviso(resultado, muestra_minima), _metodo(resultado))


def _texto_confianza(resultado: ResultadoCadena) -> str:
    """En cuántas remuestras sale el mismo eslabón, y qué tan firme es por tanto la conclusión."""
    if math.isnan(resultado.confianza):
        return "Sin remuestras no se puede medir qué tan seguro es este resultado."
    texto = (f"«{resultado.eslabon_mas_debil}» es el eslabón más débil en el {porcentaje(resultado.confianza, 0)} "
             f"de las {numero(resultado.remuestras, 0)} remuestras")
    if resultado.confianza >= 0.9:
        return texto + ": la conclusión es firme."
    if resultado.confianza >= 0.5:
        return texto + ": es lo más probable, pero otra etapa podría serlo."
    return texto + ": el eslabón más débil no está claro."


def texto_cobertura(resultado: ResultadoCadena, *, encuestas: int, limite: int) -> str:
    """Qué se calculó con todas las respuestas del filtro (en el motor) y qué con una muestra.

    Resultado continuo: el modelo y la comparación por segmento salen de las sumas por lote del
    motor (``analizar_cadena_agregada``); sí/no: la logística usa filas, una muestra si hay más de
    ``limite`` encuestas. ``encuestas`` son las del filtro.

    >>> r = ResultadoCadena(pd.DataFrame(), 0.3, math.nan, math.nan, None, math.nan, "binario", "media", "meta", (1, 5),
    ...                     150_000, 0)
    >>> texto_cobertura(r, encuestas=300_000, limite=200_000)[:61]
    'El modelo sí/no (regresión logística) necesita las respuestas'
    """
    if resultado.tipo_resultado == "continuo":
        return (f"Importancia, eslabón y comparación por segmento calculados en el motor de datos sobre el total de "
                f"respuestas del filtro ({numero(encuestas, 0)} encuestas): solo salen de él sumas por lotes de "
                "encuestados.")
    if encuestas > limite:
        return (f"El modelo sí/no (regresión logística) necesita las respuestas una a una: usa una muestra "
                f"aleatoria reproducible de {numero(limite, 0)} de las {numero(encuestas, 0)} encuestas, elegida por "
                f"el motor (n = {numero(resultado.n, 0)} con resultado y etapas calificadas), también por segmento. "
                "El desempeño por etapa y los resultados CSAT, NPS y CES usan todas las respuestas.")
    return (f"El modelo sí/no (regresión logística) usa las respuestas del filtro una a una (n = "
            f"{numero(resultado.n, 0)} con resultado y etapas calificadas).")


def _aviso(resultado: ResultadoCadena, muestra_minima: int) -> str | None:
    """Muestra pequeña o etapas que quedaron fuera del modelo."""
    partes = []
    if resultado.n < muestra_minima:
        partes.append(f"Muestra insuficiente (n = {numero(resultado.n, 0)} < {numero(muestra_minima, 0)}): "
                      "cifras poco fiables.")
    fuera = resultado.importancia.index[~resultado.importancia["incluida"]].tolist()
    if fuera:
        partes.append("Sin calificaciones suficientes o sin variación, fuera del modelo: " + ", ".join(fuera) + ".")
    return " ".join(partes) or None


def texto_mapa(clasificacion: ClasificacionCadena) -> str:
    """Cómo leer el mapa de cuadrantes: qué significa cada eje y cada corte, con el corte de importancia en cifras.

    >>> c = ClasificacionCadena(pd.DataFrame(index=["A", "B", "C", "D"]), 0.25, "meta", "media")
    >>> texto_mapa(c).split(". ")[1].split(";")[0]
    'A la derecha de la línea vertical, la etapa alcanza su meta'
    """
    referencia = "su meta" if clasificacion.referencia == "meta" else "la mejor etapa"
    return (f"Cómo leer el mapa (Martilla y James 1977). A la derecha de la línea vertical, la etapa alcanza "
            f"{referencia}; a la izquierda, le falta (la raya horizontal de cada punto es su intervalo al 95 %: si "
            f"cruza la vertical, la etapa está cerca). Arriba de la línea horizontal, la etapa pesa en el resultado "
            f"más que el reparto parejo del R² entre las {numero(len(clasificacion.etapas), 0)} etapas "
            f"({porcentaje(clasificacion.corte_importancia, 1)} cada una); abajo, menos. Cada punto lleva el número "
            "de su etapa en la cadena (el del diagrama) y su nombre si cabe; el nombre completo aparece al pasar el "
            "ratón. La clase de cada etapa es la misma en el diagrama y en las tablas.")


def cajas_cadena(resultado: ResultadoCadena, clasificacion: ClasificacionCadena,
                 vista: pd.DataFrame | None = None) -> pd.DataFrame:
    """Una caja por etapa para el diagrama de la cadena, en orden, con la clase de ``clasificacion``.

    Columnas: ``texto`` (líneas separadas por ``<br>``: el desempeño, la parte del R² y, si se da la ``vista``
    operativa, contactos e incumplimiento de la promesa) y, de ``clasificacion``, ``clase``, ``etiqueta``, ``color``
    y ``relleno``: la caja se pinta como el punto del mapa de cuadrantes y dice la misma clase.
    """
    tabla = resultado.importancia
    clases = clasificacion.etapas
    filas = []
    for etapa, fila in tabla.iterrows():
        lineas = [f"{'Media' if resultado.medida == 'media' else 'Top-2'}: "
                  f"{_formato_desempeno(fila['desempeno'], resultado.medida)}"]
        if fila["incluida"]:
            lineas.append(f"Importancia: {porcentaje(fila['proporcion'], 0)}")
        if vista is not None and etapa in vista.index:
            lineas.append(f"Contactos: {numero(vista.loc[etapa, 'volumen'], 0)}")
            lineas.append(f"Promesa incumplida: {porcentaje(vista.loc[etapa, 'incumplimiento'], 0)}")
        filas.append({"etapa": etapa, "texto": "<br>".join(lineas), "clase": clases.loc[etapa, "clase"],
                      "etiqueta": clases.loc[etapa, "etiqueta"],
                      "color": clases.loc[etapa, "color"], "relleno": clases.loc[etapa, "relleno"]})
    return pd.DataFrame(filas).set_index("etapa")


def _con_intervalo(valor: float, inferior: float, superior: float, formato) -> str:
    """'valor (inf–sup)' o solo el valor si no hay intervalo."""
    if math.isnan(inferior):
        return formato(valor)
    return f"{formato(valor)} ({formato(inferior)}–{formato(superior)})"


def _porcentaje_con_intervalo(valor: float, inferior: float, superior: float) -> str:
    """'37,0 % (33,0–40,6)': el porcentaje y su intervalo sin repetir el signo, para que la columna quepa."""
    if math.isnan(inferior):
        return porcentaje(valor, 1)
    return f"{porcentaje(valor, 1)} ({numero(100 * inferior, 1)}–{numero(100 * superior, 1)})"


#: Marca de una importancia que no se distingue de la de una variable de ruido.
NO_SIGNIFICATIVA = "*"


def _no_significativa(marca) -> bool:
    """True si la importancia se probó y no se distingue del ruido (False; no NA, que es «sin remuestras»)."""
    return not pd.isna(marca) and not bool(marca)


def ayuda_importancia(objetivo: Resultado) -> dict[str, str]:
    """Qué dice cada columna de ``tabla_importancia`` (la página lo pone en la ayuda de su encabezado)."""
    return {
        "Importancia": "Parte del R² que explica la etapa, en %, con su intervalo bootstrap del 95 %. "
                       f"{NO_SIGNIFICATIVA}: no se distingue de la de una variable de ruido.",
        "Desempeño": "Calificación media de la etapa, con su intervalo del 95 %.",
        "Referencia": "Meta de la etapa o la mejor etapa, según «Brecha frente a».",
        "Primera en": "En qué parte de las remuestras la etapa tiene la mayor prioridad (peso × brecha).",
        "Ganancia": f"Cuánto cambiaría el resultado ({objetivo.unidad}) si la etapa llegara a su referencia, con "
                    "su intervalo del 95 %.",
        "N.º": "Orden de la etapa en la cadena: el número de su caja en el diagrama y de su punto en el mapa.",
        "Clase": "La clase de la etapa: la misma del mapa, del diagrama y de «Desempeño por etapa».",
    }


def tabla_importancia(resultado: ResultadoCadena, objetivo: Resultado, clasificacion: ClasificacionCadena
                      ) -> pd.DataFrame:
    """Tabla de importancia y prioridad por etapa, con textos en español, ordenada por prioridad.

    «N.º» es el orden de la etapa en la cadena (el número de su caja y de su punto en el mapa); «Clase», la de
    ``clasificacion``. Encabezados cortos (se explican en ``ayuda_importancia``) para que la tabla quepa en una pantalla de 1280 px;
    una importancia que no se distingue del ruido lleva la marca ``NO_SIGNIFICATIVA``.
    """
    tabla = resultado.importancia.sort_values("prioridad", ascending=False, na_position="last")
    clases = clasificacion.etapas.loc[tabla.index]
    desempeno = (lambda v: _formato_desempeno(v, resultado.medida))
    ganancia = (lambda v: _formato_ganancia(v, resultado.tipo_resultado, "").strip())
    return pd.DataFrame({
        "N.º": clases["numero"].tolist(),
        "Etapa": tabla.index,
        "Clase": clases["etiqueta"].tolist(),
        "Importancia": [_porcentaje_con_intervalo(f["proporcion"], f["proporcion_inf"], f["proporcion_sup"])
                        + (f" {NO_SIGNIFICATIVA}" if _no_significativa(f["significativa"]) else "")
                        for _, f in tabla.iterrows()],
        "Desempeño": [_con_intervalo(f["desempeno"], f["desempeno_inf"], f["desempeno_sup"], desempeno)
                      for _, f in tabla.iterrows()],
        "Referencia": [desempeno(v) for v in tabla["referencia"]],
        "Brecha": [desempeno(v) for v in tabla["brecha"]],
        "Primera en": [porcentaje(v, 0) for v in tabla["primero"]],
        "Ganancia": [_con_intervalo(f["ganancia"], f["ganancia_inf"], f["ganancia_sup"], ganancia)
                     for _, f in tabla.iterrows()],
    })


def tabla_desempeno(desempeno: pd.DataFrame, escala: tuple[float, float], clasificacion: ClasificacionCadena
                    ) -> pd.DataFrame:
    """Tabla de desempeño por etapa (``desempeno_por_etapa``) con textos en español.

    «Frente a su referencia» y «Clase» son los de ``clasificacion`` (los mismos del mapa y del diagrama); una etapa
    sin calificaciones dice «Sin datos».
    """
    bajo, alto = umbral_bajo(escala), umbral_alto(escala)
    clases = clasificacion.etapas.reindex(desempeno.index)
    sin_datos = desempeno["n"].eq(0).to_numpy()
    return pd.DataFrame({
        "Etapa": desempeno.index,
        "Clase": np.where(sin_datos, "Sin datos", clases["etiqueta"].fillna("Fuera del modelo")).tolist(),
        "n": [numero(v, 0) for v in desempeno["n"]],
        "Media (IC 95 %)": [_con_intervalo(f["media"], f["media_inf"], f["media_sup"], lambda v: numero(v, 2))
                            for _, f in desempeno.iterrows()],
        "Meta (diferencia)": [f"{numero(m, 2)} ({con_signo(-b, 2)})" if not math.isnan(m) else numero(m)
                              for m, b in zip(desempeno["meta"], desempeno["brecha"])],
        "Frente a su referencia": np.where(sin_datos, "Sin datos", clases["estado"].fillna("Sin cifra")).tolist(),
        f"Notas bajas ({numero(escala[0], 0)}–{numero(bajo, 0)})": [
            _con_intervalo(f["bajas"], f["bajas_inf"], f["bajas_sup"], porcentaje) for _, f in desempeno.iterrows()],
        f"Top-2 ({numero(alto, 0)}–{numero(escala[1], 0)})": [
            _con_intervalo(f["top2"], f["top2_inf"], f["top2_sup"], porcentaje) for _, f in desempeno.iterrows()],
    })


_POCA_MUESTRA = " (muestra pequeña)"


def tabla_operativa(vista: pd.DataFrame) -> pd.DataFrame:
    """Volumen, promesa incumplida, escalados y reabiertos por etapa (``vista_operativa``), en español."""
    def tasa(nombre: str) -> list[str]:
        return [_con_intervalo(f[nombre], f[f"{nombre}_inf"], f[f"{nombre}_sup"], porcentaje)
                for _, f in vista.iterrows()]

    return pd.DataFrame({
        "Etapa": vista.index,
        "Contactos (% del total)": [f"{numero(f['volumen'], 0)} ({porcentaje(f['participacion'], 1)})"
                                    f"{'' if f['suficiente'] else _POCA_MUESTRA}" for _, f in vista.iterrows()],
        "Promesa incumplida": tasa("incumplimiento"),
        "Escalados": tasa("escalamiento"),
        "Reabiertos": tasa("reapertura"),
    })


def tabla_tiempos(vista: pd.DataFrame) -> pd.DataFrame:
    """Tiempos (mediana y p90) y CSAT de los contactos de cada etapa (``vista_operativa``), en español."""
    return pd.DataFrame({
        "Etapa": vista.index,
        "Respuesta, min (mediana · p90)": [f"{numero(a)} · {numero(b)}" for a, b in
                                           zip(vista["respuesta_mediana"], vista["respuesta_p90"])],
        "Resolución, h (mediana · p90)": [f"{numero(a)} · {numero(b)}" for a, b in
                                          zip(vista["resolucion_mediana"], vista["resolucion_p90"])],
        "CSAT de sus contactos (IC 95 %)": [
            f"{_con_intervalo(f['csat'], f['csat_inf'], f['csat_sup'], lambda v: numero(v, 2))}"
            f"{'' if f['csat_suficiente'] else _POCA_MUESTRA}" for _, f in vista.iterrows()],
        "Encuestas": [numero(v, 0) for v in vista["n_csat"]],
    })


def tabla_segmentos(comparacion: ComparacionSegmentos, objetivo: Resultado, tipo: str) -> pd.DataFrame:
    """Tabla que compara el eslabón más débil entre segmentos, con textos en español."""
    resumen = comparacion.resumen
    return pd.DataFrame({
        "Segmento": resumen.index,
        "n": [numero(v, 0) for v in resumen["n"]],
        "Eslabón más débil": [v if isinstance(v, str) else "—" for v in resumen["eslabon"]],
        "Confianza": [porcentaje(v, 0) for v in resumen["confianza"]],
        f"Ganancia ({objetivo.unidad})": [_formato_ganancia(v, tipo, "").strip() for v in resumen["ganancia"]],
        "R²": [numero(v, 2) for v in resumen["r2"]],
        "Nota": resumen["nota"],
    })
