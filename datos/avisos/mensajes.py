"""Los mensajes que salen: resumen ejecutivo, alertas e informes de realimentación, en texto y HTML.

Cada función recibe lo que ya calcularon ``datos.avisos.cifras`` y ``analisis`` y escribe un
``Mensaje`` en español: el texto de cada tarjeta es el de la página (``analisis.resumen.describir``),
los números y fechas salen de ``analisis.formato`` y todo texto que viene de los datos (nombres
de sucursales, equipos, grupos de las alertas) se escapa en el HTML.
"""

import html
from collections.abc import Sequence
from datetime import date

from analisis import alertas as analisis_alertas
from analisis import informes
from analisis.formato import fecha, numero
from analisis.resumen import TarjetaKpi, describir
from datos.avisos.calendario import NOMBRES_PERIODO
from datos.avisos.entrega import Adjunto, Mensaje
from datos.consultas.filtros import FUERA_DE_ALCANCE, Filtros, periodo_anterior

__all__ = ["texto_alcance", "firma_alerta", "mensaje_resumen", "mensaje_alertas", "mensaje_realimentacion"]

_ESTILO = ("font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#222;max-width:760px;"
           "line-height:1.45")
_CELDA = "border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top"
_PIE = "Este aviso lo envía Eslabón según las suscripciones configuradas en «Envíos y alertas»."


def texto_alcance(filtros: Filtros) -> str:
    """De qué datos habla un mensaje: 'Toda la organización' o las sucursales y equipos del alcance.

    >>> texto_alcance(Filtros(sucursales=("Norte",), equipos=("Ventas",)))
    'Sucursales: Norte · Equipos: Ventas'
    >>> texto_alcance(Filtros(sucursales=(FUERA_DE_ALCANCE,)))
    'Sucursales: fuera del alcance de su cuenta'
    """
    partes = [f"{nombre}: " + (", ".join(valores) if FUERA_DE_ALCANCE not in valores
                               else "fuera del alcance de su cuenta")
              for nombre, valores in (("Sucursales", filtros.sucursales), ("Equipos", filtros.equipos)) if valores]
    return " · ".join(partes) if partes else "Toda la organización"


def firma_alerta(alerta: analisis_alertas.Alerta) -> str:
    """Lo que identifica una alerta para no repetirla en el mismo ciclo: regla, tipo, indicador y grupo."""
    return f"{alerta.regla.regla_id}|{alerta.regla.tipo}|{alerta.regla.kpi}|{alerta.grupo}"


def _enlace_texto(enlace: str | None) -> str:
    """La línea final del texto plano con el enlace a la aplicación."""
    return f"Vea el detalle en Eslabón: {enlace}" if enlace else "Vea el detalle en Eslabón."


def _enlace_html(enlace: str | None) -> str:
    """El párrafo final del HTML con el enlace a la aplicación (escapado)."""
    if not enlace:
        return "<p>Vea el detalle en Eslabón.</p>"
    return f'<p><a href="{html.escape(enlace, quote=True)}">Abrir Eslabón para ver el detalle</a></p>'


def _documento(titulo: str, subtitulo: str, cuerpo: str, enlace: str | None) -> str:
    """Un correo HTML completo con estilos en línea (los clientes de correo ignoran las hojas de estilo)."""
    return (f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>{html.escape(titulo)}</title></head>'
            f'<body style="{_ESTILO}"><h1 style="font-size:20px;margin-bottom:2px">{html.escape(titulo)}</h1>'
            f'<p style="color:#555;margin-top:0">{html.escape(subtitulo)}</p>{cuerpo}{_enlace_html(enlace)}'
            f'<p style="color:#777;font-size:12px">{html.escape(_PIE)}</p></body></html>')


def _lineas_alertas(lista: Sequence[analisis_alertas.Alerta]) -> list[str]:
    """Cada alerta como «- [Tipo, gravedad alta] texto»."""
    return [f"- [{analisis_alertas.TIPOS[a.regla.tipo]}, gravedad {a.gravedad}] {a.texto}" for a in lista]


def _html_alertas(lista: Sequence[analisis_alertas.Alerta]) -> str:
    """Las alertas como lista HTML, la gravedad en color."""
    colores = {"alta": "#c62828", "media": "#e65100"}
    elementos = "".join(
        f'<li style="margin-bottom:6px"><b style="color:{colores[a.gravedad]}">'
        f'{html.escape(analisis_alertas.TIPOS[a.regla.tipo])} · gravedad {a.gravedad}</b><br>{html.escape(a.texto)}</li>'
        for a in lista)
    return f"<ul>{elementos}</ul>"


def _tarjeta_texto(tarjeta: TarjetaKpi) -> list[str]:
    """Las líneas de texto plano de una tarjeta: las mismas frases que la página."""
    t = describir(tarjeta)
    cambio = f" ({t.cambio} frente al periodo anterior)" if t.cambio else ""
    lineas = [f"{tarjeta.kpi.titulo}: {t.valor}{cambio}", f"    {t.meta} · {t.intervalo}", f"    {t.significancia}"]
    return lineas + ([f"    Aviso: {t.aviso}"] if t.aviso else [])


def _tarjeta_html(tarjeta: TarjetaKpi) -> str:
    """Una fila de la tabla de KPI del correo HTML."""
    t = describir(tarjeta)
    colores = {"verde": "#2e7d32", "ambar": "#e65100", "rojo": "#c62828"}
    color = colores.get(tarjeta.estado, "#555")
    aviso = f'<br><span style="color:#e65100">{html.escape(t.aviso)}</span>' if t.aviso else ""
    return (f'<tr><td style="{_CELDA}"><b>{html.escape(tarjeta.kpi.titulo)}</b></td>'
            f'<td style="{_CELDA};font-size:18px;white-space:nowrap"><b>{html.escape(t.valor)}</b></td>'
            f'<td style="{_CELDA};white-space:nowrap">{html.escape(t.cambio or "—")}</td>'
            f'<td style="{_CELDA}"><span style="color:{color}">{html.escape(t.meta)}</span><br>'
            f'<span style="color:#555;font-size:13px">{html.escape(t.intervalo)}<br>{html.escape(t.significancia)}'
            f'</span>{aviso}</td></tr>')


def _cabecera_periodo(desde: date, hasta: date) -> str:
    """«Del … al …, comparado con el periodo anterior de igual duración (del … al …).», como la página."""
    antes, hasta_antes = periodo_anterior(desde, hasta)
    return (f"Del {fecha(desde)} al {fecha(hasta)}, comparado con el periodo anterior de igual duración "
            f"(del {fecha(antes)} al {fecha(hasta_antes)}).")


def mensaje_resumen(tarjetas: Sequence[TarjetaKpi], lista_alertas: Sequence[analisis_alertas.Alerta], *,
                    frecuencia: str, filtros: Filtros, ultimo_dato: date | None, enlace: str | None) -> Mensaje:
    """El resumen ejecutivo del periodo ``filtros.desde``–``filtros.hasta``: tarjetas, alertas y enlace.

    Sin datos en el periodo lo dice (y la fecha del último dato), en vez de mostrar cifras vacías
    como si todo estuviera bien.
    """
    titulo = f"Resumen {NOMBRES_PERIODO[frecuencia]} de Eslabón"
    alcance = texto_alcance(filtros)
    asunto = f"{titulo}: del {fecha(filtros.desde)} al {fecha(filtros.hasta)}"
    cabecera = _cabecera_periodo(filtros.desde, filtros.hasta)
    sin_datos = not any(t.actual.n for t in tarjetas)
    if sin_datos:
        ultimo = f" Los últimos datos cargados son del {fecha(ultimo_dato)}." if ultimo_dato else ""
        vacio = f"No hay encuestas ni interacciones en el periodo: no hay cifras que enviar.{ultimo}"
        texto = [titulo, cabecera, f"Alcance: {alcance}", "", vacio]
        cuerpo = f'<p style="background:#fff4e5;padding:8px 12px">{html.escape(vacio)}</p>'
    else:
        texto = [titulo, cabecera, f"Alcance: {alcance}", ""]
        for tarjeta in tarjetas:
            texto += _tarjeta_texto(tarjeta)
        texto += ["", "Qué requiere atención"]
        texto += _lineas_alertas(lista_alertas) or ["Ninguna regla de alerta se cumple en el periodo."]
        filas = "".join(_tarjeta_html(t) for t in tarjetas)
        atencion = (_html_alertas(lista_alertas) if lista_alertas
                    else "<p>Ninguna regla de alerta se cumple en el periodo.</p>")
        cuerpo = (f'<table style="border-collapse:collapse;width:100%">{filas}</table>'
                  f'<h2 style="font-size:16px;margin-top:18px">Qué requiere atención</h2>{atencion}')
    texto += ["", _enlace_texto(enlace), "", _PIE]
    datos = {"informe": "resumen", "desde": filtros.desde.isoformat(), "hasta": filtros.hasta.isoformat(),
             "alcance": alcance, "enlace": enlace,
             "kpis": [{"kpi": t.kpi.clave, "titulo": t.kpi.titulo, "valor": describir(t).valor, "n": int(t.actual.n)}
                      for t in tarjetas]}
    return Mensaje(asunto, "\n".join(texto), _documento(titulo, f"{cabecera} Alcance: {alcance}.", cuerpo, enlace),
                   datos=datos)


def mensaje_alertas(lista: Sequence[analisis_alertas.Alerta], *, filtros: Filtros, enlace: str | None) -> Mensaje:
    """Alertas que acaban de dispararse (ventanas que terminan en ``filtros.hasta``)."""
    cuantas = numero(len(lista), 0)
    titulo = f"Eslabón: {cuantas} alerta{'s' if len(lista) != 1 else ''} nueva{'s' if len(lista) != 1 else ''}"
    alcance = texto_alcance(filtros)
    subtitulo = f"Datos hasta el {fecha(filtros.hasta)}. Alcance: {alcance}."
    texto = [titulo, subtitulo, "", *_lineas_alertas(lista), "", _enlace_texto(enlace), "", _PIE]
    datos = {"informe": "alertas", "hasta": filtros.hasta.isoformat(), "alcance": alcance, "enlace": enlace,
             "alertas": [{"tipo": a.regla.tipo, "kpi": a.regla.kpi, "grupo": a.grupo, "gravedad": a.gravedad,
                          "texto": a.texto} for a in lista]}
    return Mensaje(titulo, "\n".join(texto), _documento(titulo, subtitulo, _html_alertas(lista), enlace), datos=datos)


def mensaje_realimentacion(lista: Sequence[informes.Informe], *, ventana: str, filtros: Filtros,
                           enlace: str | None) -> Mensaje:
    """Los informes de realimentación de los equipos del alcance, cada uno adjunto en HTML.

    Las cifras de las personas con menos auditorías que el mínimo ya vienen ocultas de
    ``analisis.informes``; aquí solo se listan los equipos y se adjuntan sus informes.
    """
    titulo = "Informes de realimentación de Eslabón"
    alcance = texto_alcance(filtros)
    subtitulo = f"Auditorías {ventana[0].lower()}{ventana[1:]}. Alcance: {alcance}."
    if lista:
        intro = (f"Adjuntamos el informe de realimentación de {numero(len(lista), 0)} "
                 f"equipo{'s' if len(lista) != 1 else ''} para entregar y comentar con cada uno: sus resultados, "
                 "sus brechas, su progreso y su plan de capacitación.")
        equipos = [f"- {i.destinatario}" + (f" (aviso: {i.avisos[0]})" if i.avisos else "") for i in lista]
    else:
        intro = "No hay auditorías de los equipos del alcance en la ventana: no hay informes que enviar."
        equipos = []
    texto = [titulo, subtitulo, "", intro, *equipos, "", _enlace_texto(enlace), "", _PIE]
    elementos = "".join(f"<li>{html.escape(linea[2:])}</li>" for linea in equipos)
    cuerpo = f"<p>{html.escape(intro)}</p>" + (f"<ul>{elementos}</ul>" if elementos else "")
    adjuntos = tuple(Adjunto(f"informe_{informes.nombre_de_archivo(i.destinatario)}.html",
                             informes.a_html(i).encode("utf-8")) for i in lista)
    return Mensaje(f"{titulo}: {ventana[0].lower()}{ventana[1:]}", "\n".join(texto),
                   _documento(titulo, subtitulo, cuerpo, enlace), adjuntos,
                   {"informe": "realimentacion", "alcance": alcance, "equipos": [i.destinatario for i in lista]})
