"""The floor: a Streamlit page holding nothing but one ``st_folium`` map with one polyline.

The benchmark serves it beside the dashboard and measures both in the same run, so the
dashboard's figures read as multiples of what Streamlit and streamlit-folium cost on their own
on this machine. Like the dashboard, it takes Leaflet from the static folder (the network is
cut), draws no tiles and no jQuery or Bootstrap; its line has the corridor lines' class, so the
same probe sees it drawn. :func:`benchmarks.server.floor_server` lays out its folder.

At ``?updates=1`` it also has a toggle that recolours a second line, handed over as
streamlit-folium's ``feature_group_to_add`` as the dashboard hands over its layers: the floor of
a map update. The plain page, whose first load is measured, is the same as without it.
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from corridors.webmap.assets import LEAFLET

m = folium.Map(location=(41.0, 50.0), zoom_start=4, tiles=None)
script, stylesheet = LEAFLET.links("/app/static")
m.default_js, m.default_css = [("leaflet", script)], [("leaflet_css", stylesheet)]
folium.PolyLine([(40.4, 49.9), (41.7, 44.8), (40.6, 43.1)], class_name="corridor-leg").add_to(m)
if st.query_params.get("updates") == "1":
    blue = st.toggle("Blue overlay")
    overlay = folium.FeatureGroup(name="Overlay")
    folium.PolyLine(
        [(38.0, 48.0), (39.0, 45.0)], color="#0072B2" if blue else "#D55E00", class_name="overlay"
    ).add_to(overlay)
    st_folium(
        m,
        key="floor",
        height=640,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=overlay,
    )
else:
    st_folium(m, key="floor", height=640, use_container_width=True, returned_objects=[])
