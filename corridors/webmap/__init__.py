"""The interactive folium map: layers, basemap, legend, its scripts and its local assets."""
