import time
from conftest import map_frame, open_app, wait_idle, wait_map_polygons
from test_security_browser import RANGE, _import_payloads, _show_points

INIT = """(() => { window.__ev = ['created ' + Date.now() % 100000];
  document.addEventListener('click', (e) => window.__ev.push('click ' + Date.now() % 100000 + ' ' + String(e.target.className).slice(0,25)), true);
  new MutationObserver((ms) => { for (const m of ms) { for (const n of m.addedNodes) { if (n.className && String(n.className).includes('leaflet-popup')) window.__ev.push('popup+ ' + Date.now() % 100000); }
     for (const n of m.removedNodes) { if (n.className && String(n.className).includes('leaflet-popup')) window.__ev.push('popup- ' + Date.now() % 100000); } } })
    .observe(document, {childList: true, subtree: true});
})()"""


def test_diag(page, server, tmp_path):
    page.context.add_init_script(INIT)
    _import_payloads(server.data_dir, tmp_path)
    open_app(page, server, f"?{RANGE}&region=UA-51")
    _show_points(page)
    wait_map_polygons(page)
    frame = map_frame(page)
    marker = frame.locator(".ow-point").first
    marker.wait_for()
    marker.hover()
    frame.locator(".leaflet-tooltip").first.wait_for()
    t = int(time.time() * 1000) % 100000
    marker.click()
    time.sleep(3)
    out = []
    for f in page.frames:
        try:
            out.append((f.url[-40:], f.evaluate("() => window.__ev")))
        except Exception as e:
            out.append((f.url[-40:], str(e)[:50]))
    live = frame.locator("body").evaluate("() => [window.__ev, location.href.slice(-30), document.querySelectorAll('.ow-point').length]")
    print("DIAG click at", t, out, live, frame.locator(".leaflet-popup-content").count())
    assert frame.locator(".leaflet-popup-content").count() == 1
