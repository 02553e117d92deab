"""Resumen ejecutivo: los KPI del periodo frente a su meta y al periodo anterior."""

import streamlit as st

from analisis.formato import fecha
from analisis.resumen import describir
from datos.avisos.cifras import tarjetas_del_periodo
from datos.consultas import tendencias as consultas_tendencias
from datos.consultas.filtros import periodo_anterior
from paginas import comun, sesion
from paginas.guia import guia_de_inicio
from paginas.graficos import figura, minitendencia, mostrar

COLUMNAS = 4
INSIGNIAS = {"verde": ("green", ":material/check_circle:"), "ambar": ("orange", ":material/error:"),
             "rojo": ("red", ":material/cancel:"), "sin_meta": ("gray", None), "sin_datos": ("gray", None)}

st.title("Resumen ejecutivo")
almacen = comun.almacen()

if almacen.esta_vacio():
    guia_de_inicio()
    st.stop()

comun.aviso_demo()

elegidos = comun.filtros()
desde_anterior, hasta_anterior = periodo_anterior(elegidos.desde, elegidos.hasta)
st.caption(f"Del {fecha(elegidos.desde)} al {fecha(elegidos.hasta)}, comparado con el periodo anterior de igual "
           f"duración (del {fecha(desde_anterior)} al {fecha(hasta_anterior)}). Las minitendencias muestran los "
           "últimos 12 meses; los puntos huecos tienen muestra insuficiente.")

muestra_minima = comun.muestra_minima()
lista = comun.calcular(tarjetas_del_periodo, elegidos, muestra_minima=muestra_minima,
                       privacidad=comun.privacidad_respuestas())
metas_por_mes = comun.consultar(consultas_tendencias.metas_de_minitendencias, elegidos,
                                tuple(tarjeta.kpi.clave for tarjeta in lista))

if not any(tarjeta.actual.n for tarjeta in lista):
    comun.vacio("No hay encuestas ni interacciones con estos filtros en el periodo elegido: no hay cifras que "
                "mostrar. Amplíe el periodo o quite filtros de la barra lateral.")

for inicio in range(0, len(lista), COLUMNAS):
    for columna, tarjeta in zip(st.columns(COLUMNAS), lista[inicio:inicio + COLUMNAS]):
        textos = describir(tarjeta)
        with columna.container(border=True):
            st.metric(tarjeta.kpi.titulo, textos.valor, textos.cambio, delta_color=textos.color_cambio,
                      help=comun.con_nota_percentil(tarjeta.kpi.metodo, tarjeta.kpi.clave))
            color, icono = INSIGNIAS[tarjeta.estado]
            st.badge(textos.meta, color=color, icon=icono)
            st.caption(f"{textos.intervalo}  \n{textos.significancia}")
            if textos.aviso:
                st.badge(textos.aviso, color="orange", icon=":material/warning:")
            if tarjeta.serie["valor"].notna().any():
                mostrar(figura(minitendencia, tarjeta.serie, tarjeta.kpi.unidad, metas_por_mes, tarjeta.kpi.clave),
                        config={"displayModeBar": False}, key=f"tendencia_{tarjeta.kpi.clave}")
            else:
                st.caption("Sin meses con cifras en los últimos 12 meses.")
            sesion.enlace("paginas/tendencias.py", label="Ver tendencia", icon=":material/trending_up:",
                          query_params={"kpi": tarjeta.kpi.clave})

st.subheader("Qué requiere atención ahora")
comun.mostrar_alertas(comun.alertas_vigentes(elegidos), limite=5)
sesion.enlace("paginas/tendencias.py", label="Ver todas las alertas y configurar sus reglas",
              icon=":material/notifications:")

with st.expander("¿Cómo se calculan estas cifras?"):
    st.markdown(
        f"- Cada tarjeta compara el periodo elegido con el anterior de igual duración; el cambio es "
        f"**significativo** si la prueba estadística indicada da p < 0,05. Un cambio gris puede ser ruido.\n"
        f"- Las cifras con menos de **{muestra_minima}** respuestas se marcan como muestra insuficiente "
        f"(se configura en la base de datos).\n"
        f"- El semáforo compara con la meta de cada indicador: verde la cumple, ámbar está cerca, rojo está lejos.\n"
        f"- Pase el cursor sobre el símbolo ? de cada tarjeta para ver el método exacto."
    )
