"""Entry point and router of "Gemeenten in coronatijd".

    streamlit run app.py
"""
import streamlit as st

from lib.texts_nl import t
from lib.ui import NAV

# No icons here: a page's icon becomes the favicon, and Material icons would then be
# fetched from the internet. The menu in the sidebar shows them (from the bundled font).
pages = [st.Page(path, title=t(title), url_path=path.removeprefix("pages/").removesuffix(".py"),
                 default=(i == 0)) for i, (path, title, _icon) in enumerate(NAV)]

# Page config, the menu (st.page_link) and the shared sidebar (gemeente picker) come from
# ui.page_start() at the top of every page: Streamlit may run a file from pages/ directly
# (a fresh server's first deep link, AppTest), and the page must look the same then.
st.navigation(pages, position="hidden").run()
