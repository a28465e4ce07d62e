"""The Streamlit dashboard: the only package that imports streamlit and streamlit_folium."""
