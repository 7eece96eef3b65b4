"""Shared data library of the dashboard "Gemeenten in coronatijd".

Every module here is free of Streamlit except ``lib.ui``, which holds the
Streamlit glue (cached loaders, the sidebar picker, the map widget).
"""
