"""Streamlit-only helpers: cached loaders, shared sidebar widgets, URL state, small renderers.

The only part of the package that imports ``streamlit`` (see tests/unit/test_architecture.py).
"""
