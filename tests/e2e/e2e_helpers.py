"""Helpers for the browser tests: open a page, wait for Streamlit, reach the map, screenshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[2]
OUTPUT_DIR = REPO / "test-output" / "e2e"
# The map's component iframe; during a rerun a replaced (stale) copy can linger next to the new
# one, so tests address the live one.
MAP_IFRAME = (
    '[data-testid="stElementContainer"][data-stale="false"] '
    'iframe[title="streamlit_folium.st_folium"]'
)
# A located event's tooltip (maps/points.py), as opposed to the tooltip of a region.
POINT_TOOLTIP = ".leaflet-tooltip.ow-point-tooltip"
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_idle(page) -> None:
    """Wait until the Streamlit script has finished its run."""
    page.wait_for_selector(APP_IDLE, state="attached")


def open_app(page, server, path: str = "") -> None:
    """Open ``path`` (e.g. ``"timeline?start=..."``) and wait for the first complete run."""
    page.goto(f"{server.url}/{path}")
    page.get_by_test_id("stSidebar").wait_for()
    wait_idle(page)


def map_frame(page):
    return page.frame_locator(MAP_IFRAME)


def wait_map_polygons(page) -> None:
    map_frame(page).locator("path.leaflet-interactive").first.wait_for()


def screenshot(page, name: str) -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def scroll_map_top_out_of_view(page, target, margin: int = 60) -> float:
    """Scroll the app so ``target`` (a locator inside the map frame) sits ``margin`` px below
    the top of the window, which puts the top of the map frame above the window; returns the
    frame's top (negative). A click on the map must then neither scroll the page nor be lost
    (see ``maps.layers.FocusWithoutScroll``).
    """
    box = target.bounding_box()
    page.locator(MAP_IFRAME).evaluate(
        """(frame, delta) => {
            let el = frame.parentElement;
            while (el && !(el.scrollHeight > el.clientHeight
                           && /(auto|scroll)/.test(getComputedStyle(el).overflowY))) {
                el = el.parentElement;
            }
            (el || document.scrollingElement).scrollBy(0, delta);
        }""",
        box["y"] - margin,
    )
    top = page.locator(MAP_IFRAME).bounding_box()["y"]
    assert top < 0, f"the map frame's top is still in view ({top}); pick a lower target"
    return top


# True when the centre of the path's box is on the path itself: a concave region (Odesa's
# Budjak arm, Kherson's river bend) can have its box centre over a neighbour or the sea.
_CENTRE_IS_ON_PATH = """el => {
    const r = el.getBoundingClientRect();
    return el.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el;
}"""


def click_a_region(page) -> None:
    """Click the largest region polygon whose box centre lies on the polygon itself."""
    paths = map_frame(page).locator("path.leaflet-interactive")
    boxes = [paths.nth(i).bounding_box() for i in range(paths.count())]
    by_area = sorted(range(len(boxes)), key=lambda i: -boxes[i]["width"] * boxes[i]["height"])
    target = next(i for i in by_area if paths.nth(i).evaluate(_CENTRE_IS_ON_PATH))
    paths.nth(target).click()


def repeat_until_visible(
    action: Callable[[], None], target, *, attempts: int = 4, timeout_ms: int = 8_000
) -> None:
    """Repeat a reader's action until ``target`` shows, then return.

    On a busy machine a Streamlit rerun or a Leaflet animation can land between an action
    and its effect and undo it (a list closes, a click hits a marker being redrawn); a reader
    simply does it again. The test waits on the effect, never on a guess of when it is safe.
    """
    for _ in range(attempts - 1):
        action()
        try:
            target.wait_for(timeout=timeout_ms)
            return
        except PlaywrightTimeout:
            continue
    action()
    target.wait_for()
