"""What a reader sees, free of Streamlit.

Plotly figures, folium maps, display tables, exports (CSV, GeoJSON, standalone map) and the URL
parameters. Uses every layer below.
"""
