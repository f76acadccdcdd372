from conftest import open_app, wait_map_polygons
def test_probe(page, server):
    open_app(page, server, "?region=UA-51&metric=days")
    wait_map_polygons(page)
    print("HTML", page.get_by_test_id("stSelectbox").first.inner_html()[:1500])
