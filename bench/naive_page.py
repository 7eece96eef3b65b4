"""The naive reference for the benchmark (not part of the app).

Every rerun reads the GeoJSON with geopandas, joins a KWB figure on code and builds a
folium choropleth, without any caching: what the app must beat by a wide margin.
"""
import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib.config import raw_dir

geo = gpd.read_file(raw_dir() / "geo" / "gemeente_2023.geojson")
kwb = pd.read_csv(raw_dir() / "kwb" / "kwb_gemeenten_panel_clean.csv")
kwb = kwb[kwb["jaar"] == 2020]
geo = geo.merge(kwb[["gemeente_code", "ww_per_1000_inw"]], left_on="statcode", right_on="gemeente_code", how="left")
fmap = folium.Map(location=[52.2, 5.3], zoom_start=7, tiles=None)
folium.Choropleth(geo, data=geo, columns=["statcode", "ww_per_1000_inw"], key_on="feature.properties.statcode",
                  fill_color="Blues").add_to(fmap)
st.title("Naive")
st_folium(fmap, height=560, returned_objects=["last_active_drawing"])
