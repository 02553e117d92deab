"""Los resultados de los comentarios en español: tablas para leer, titulares y exportaciones.

Todo texto que sale de aquí lleva los comentarios enmascarados (``analisis.texto.enmascarar_todos``)
y los números a la española (``analisis.formato``).
"""

import pandas as pd

from analisis.comentarios._asignacion import nombre_tema
from analisis.comentarios._sentimiento import METODOS_VALIDACION, MINIMO_VALIDACION, ModeloSentimiento
from analisis.comentarios._temas import Temas
from analisis.formato import con_signo, numero, porcentaje
from analisis.texto import enmascarar_todos


def _intervalo(valor: float, inferior: float, superior: float, decimales: int) -> str:
    """«+0,25 (−0,10 a +0,60)» o una raya si falta el valor."""
    if pd.isna(valor):
        return "—"
    return f"{con_signo(valor, decimales)} ({con_signo(inferior, decimales)} a {con_signo(superior, decimales)})"


def tabla_temas(resumen: pd.DataFrame) -> pd.DataFrame:
    """``resumen_temas`` como tabla para leer, con números a la española."""
    return pd.DataFrame({
        "Tema": resumen["nombre"],
        "Palabras principales": [", ".join(p.split(", ")[:6]) for p in resumen["palabras"]],
        "Comentarios": [numero(n, 0) for n in resumen["n"]],
        "% de los comentarios (IC 95 %)": [f"{porcentaje(p)} ({porcentaje(i)} – {porcentaje(s)})" for p, i, s in
                                           zip(resumen["proporcion"], resumen["ic_inf"], resumen["ic_sup"])],
        "Con nota baja": [porcentaje(v, 0) for v in resumen["negativos"]],
        "CSAT medio": [numero(v, 2) for v in resumen["csat"]],
    })


def tabla_duele(duele: pd.DataFrame) -> pd.DataFrame:
    """``lo_que_duele`` como tabla para leer, con números a la española e intervalos al 95 %."""
    return pd.DataFrame({
        "Tema": duele["nombre"], "Comentarios": [numero(n, 0) for n in duele["n"]],
        "Entre las notas bajas": [porcentaje(v) for v in duele["en_negativos"]],
        "Entre las demás": [porcentaje(v) for v in duele["en_resto"]],
        "Veces más (notas bajas)": [numero(v, 1) for v in duele["razon"]],
        "Diferencia de CSAT (IC 95 %)": [_intervalo(*v, 2) for v in zip(duele["dif_csat"], duele["csat_inf"],
                                                                          duele["csat_sup"])],
        "Diferencia de NPS (IC 95 %)": [_intervalo(*v, 1) for v in zip(duele["dif_nps"], duele["nps_inf"],
                                                                         duele["nps_sup"])],
        "Muestra": ["suficiente" if ok else "insuficiente" for ok in duele["suficiente"]],
    })


def titular_duele(duele: pd.DataFrame, *, alfa: float = 0.05) -> str | None:
    """Frase con el tema más sobrerrepresentado entre las notas bajas, si lo está de forma significativa.

    >>> duele = pd.DataFrame({"nombre": ["Entrega tarde"], "razon": [2.5], "p_razon": [0.001],
    ...                       "en_negativos": [0.25], "en_resto": [0.1], "suficiente": [True]})
    >>> titular_duele(duele)[:70]
    'Los comentarios con nota baja hablan sobre todo de «Entrega tarde»: ap'
    >>> titular_duele(duele)[70:]
    'arece 2,5 veces más que en los demás (25 % frente a 10 %).'
    """
    claros = duele[(duele["razon"] > 1) & (duele["p_razon"] < alfa) & duele["suficiente"]]
    if claros.empty:
        return None
    fila = claros.sort_values("razon", ascending=False).iloc[0]
    return (f"Los comentarios con nota baja hablan sobre todo de «{fila['nombre']}»: aparece "
            f"{numero(fila['razon'], 1)} veces más que en los demás ({porcentaje(fila['en_negativos'], 0)} frente a "
            f"{porcentaje(fila['en_resto'], 0)}).")


#: Columnas de la exportación y sus encabezados, en orden (el comentario primero, para leerlo sin desplazarse).
_EXPORTACION = {"fecha": "Fecha", "comentario": "Comentario", "nombre_tema": "Tema",
                "sentimiento": "Sentimiento (modelo)", "tono": "Tono de la nota", "csat": "CSAT", "nps": "NPS",
                "ces": "CES", "etapa_baja": "Etapa peor calificada", "canal": "Canal", "sucursal": "Sucursal",
                "tipo_cliente": "Tipo de cliente", "respuesta_id": "Respuesta"}


def para_exportar(asignados: pd.DataFrame, resultado: Temas) -> pd.DataFrame:
    """Tabla para leer o descargar, con encabezados en español y el comentario enmascarado.

    Enmascara de nuevo por seguridad (``enmascarar`` es idempotente) aunque ``asignar`` ya lo hizo.
    """
    tabla = asignados.assign(nombre_tema=[nombre_tema(resultado, t) for t in asignados["tema"]],
                             comentario=enmascarar_todos(asignados["comentario"]))
    columnas = [c for c in _EXPORTACION if c in tabla.columns]
    return tabla[columnas].rename(columns=_EXPORTACION).reset_index(drop=True)


#: Columnas de la exportación de notas de auditoría y sus encabezados, en orden.
_EXPORTACION_NOTAS = {"fecha": "Fecha", "comentario": "Comentario", "sentimiento": "Sentimiento (modelo)",
                      "nombre": "Agente", "equipo": "Equipo", "auditor": "Auditor", "agente_id": "Código del agente",
                      "auditoria_id": "Auditoría"}


def notas_para_exportar(notas: pd.DataFrame) -> pd.DataFrame:
    """Las notas de ``asignar_notas`` para leer o descargar, con encabezados en español y el texto enmascarado."""
    tabla = notas.assign(comentario=enmascarar_todos(notas["comentario"]))
    columnas = [c for c in _EXPORTACION_NOTAS if c in tabla.columns]
    return tabla[columnas].rename(columns=_EXPORTACION_NOTAS).reset_index(drop=True)


def para_mostrar(exportable: pd.DataFrame) -> pd.DataFrame:
    """La tabla de ``para_exportar`` con las notas escritas a la española («4», «—» si falta) para la pantalla.

    >>> para_mostrar(pd.DataFrame({"CSAT": [4.0, None], "Comentario": ["a", "b"]}))["CSAT"].tolist()
    ['4', '—']
    """
    notas = [c for c in ("CSAT", "NPS", "CES") if c in exportable.columns]
    return exportable.assign(**{c: [numero(v, 0) for v in exportable[c]] for c in notas})


def _parte(valor: float, inferior: float, superior: float) -> str:
    """«25,0 % (20,1 % – 30,6 %)» o una raya si falta el valor (muestra oculta por privacidad)."""
    return "—" if pd.isna(valor) else f"{porcentaje(valor)} ({porcentaje(inferior)} – {porcentaje(superior)})"


def tabla_sentimiento_temas(tabla: pd.DataFrame) -> pd.DataFrame:
    """``sentimiento_por_tema`` como tabla para leer: etapa, comentarios y partes negativa y positiva (IC 95 %)."""
    return pd.DataFrame({
        "Tema": tabla["nombre"], "Etapa de la cadena": [e if isinstance(e, str) else "—" for e in tabla["etapa"]],
        "Comentarios": [numero(n, 0) for n in tabla["n"]],
        "Negativos (IC 95 %)": [_parte(*v) for v in zip(tabla["negativos"], tabla["neg_inf"], tabla["neg_sup"])],
        "Positivos (IC 95 %)": [_parte(*v) for v in zip(tabla["positivos"], tabla["pos_inf"], tabla["pos_sup"])],
        "Muestra": ["suficiente" if ok else "pequeña" for ok in tabla["suficiente"]],
    })


def exactitud_para_mostrar(modelo: ModeloSentimiento) -> dict[str, str]:
    """``valor``, ``intervalo`` y ``explicacion`` de la exactitud de validación del sentimiento, en español.

    Dice en qué textos se midió (los más recientes, de otros clientes o al azar, sin los casi
    duplicados de los de entrenamiento) o por qué no se pudo medir.
    """
    apartados = METODOS_VALIDACION[modelo.metodo_validacion]
    descartados = (f" Se descartaron {numero(modelo.n_casi_duplicados, 0)} apartados que repetían (o casi) un "
                   "comentario de entrenamiento." if modelo.n_casi_duplicados else "")
    origen = (f"Aprendido de {numero(modelo.n_negativos, 0)} comentarios con nota baja y "
              f"{numero(modelo.n_positivos, 0)} con nota alta.")
    if pd.isna(modelo.exactitud_validacion):
        return {"valor": "—", "intervalo": "no se puede medir",
                "explicacion": f"La exactitud no se puede medir: entre los comentarios calificados apartados "
                               f"({apartados}) quedan {numero(modelo.n_validacion, 0)} distintos de los de "
                               f"entrenamiento, y hacen falta al menos {numero(MINIMO_VALIDACION, 0)}.{descartados} "
                               f"{origen}"}
    return {"valor": porcentaje(modelo.exactitud_validacion),
            "intervalo": f"IC 95 %: {porcentaje(modelo.ic_inf)} – {porcentaje(modelo.ic_sup)}",
            "explicacion": f"El modelo acierta el tono de {porcentaje(modelo.exactitud_validacion)} de "
                           f"{numero(modelo.n_validacion, 0)} comentarios calificados que no vio al aprender "
                           f"({apartados}; una respuesta «neutral» cuenta como error; intervalo de Wilson "
                           f"{porcentaje(modelo.ic_inf)} – {porcentaje(modelo.ic_sup)}); exactitud equilibrada "
                           f"{porcentaje(modelo.exactitud_balanceada)}.{descartados} {origen}"}
