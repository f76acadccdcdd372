"""Hostile text and names: CSV exports neutralise formulas, URL parameters are validated, map
HTML and hover text are escaped, dataset and download names cannot leave the data directory,
URL imports are http(s) only with a timeout and a size cap. See docs/security.md."""

from __future__ import annotations

import csv
import gzip
import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oblastwatch.importers import import_file
from oblastwatch.importers.remote import DownloadError, download, file_name_from_url
from oblastwatch.present import exports, figures, url_params
from oblastwatch.storage.dataset import StoreError
from oblastwatch.storage.imported import safe_dataset_name, save_dataset

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
PAYLOADS = (
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=1</script>",
    "<svg onload=window.__xss=1>",
)
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


# ---------------------------------------------------------------- CSV export


def test_events_csv_neutralises_every_formula_cell():
    result = import_file(BAD / "formula_payloads.csv")
    rows = list(
        csv.DictReader(
            io.StringIO(exports.events_csv(result.events, result.event_regions).decode())
        )
    )
    assert len(rows) == len(result.events) == 3
    for row in rows:
        for column, value in row.items():
            if column in ("lat", "lon", "killed", "injured", "launched", "destroyed"):
                continue  # numbers stay numbers
            assert not FORMULA_START.match(value), (column, value)
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example/","x")'
    assert rows[0]["description"] == "'+cmd|' /C calc'!A0"
    assert rows[1]["title"].startswith("'@SUM(")
    assert rows[1]["description"].startswith("'-2+3")
    assert rows[2]["place_text"] == "'=1+1"


def test_events_csv_keeps_html_payloads_as_data():
    result = import_file(BAD / "html_js_payloads.csv")
    text = exports.events_csv(result.events, result.event_regions).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["title"] == PAYLOADS[0]
    assert rows[0]["description"] == PAYLOADS[1]


# ---------------------------------------------------------------- URL parameters


@pytest.mark.parametrize(
    ("params", "kept"),
    [
        ({"region": "<script>window.__xss=1</script>"}, {}),
        ({"region": "UA-99"}, {}),
        ({"region": "ua-51"}, {"region": "UA-51"}),
        ({"start": "2026-02-30", "end": "2026-03-01"}, {}),
        ({"start": "2024-01-01'; DROP TABLE events;--", "end": "2024-02-01"}, {}),
        ({"start": "2024-02-01", "end": "2024-01-01"}, {}),
        ({"day": "9999-99-99"}, {}),
        ({"talk": "<img src=x onerror=window.__xss=1>"}, {}),
        ({"talk": "E1" + "x" * 500}, {}),
        ({"metric": "javascript:alert(1)"}, {}),
        ({"<script>": "1"}, {}),
    ],
)
def test_bad_url_parameters_are_dropped_with_an_escaped_notice(params, kept):
    state = url_params.parse_query_params(params, metrics=["waves"])
    found = {k: getattr(state, k) for k in ("region", "start", "end", "day", "talk", "metric")}
    assert {k: v for k, v in found.items() if v is not None} == kept
    if not kept:
        assert state.notices, params
    for notice in state.notices:
        assert "\n" not in notice
        assert len(notice) < 300
        assert not re.search(r"(?<!\\)[<>]", notice), notice  # every < and > backslash-escaped


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=20), st.text(max_size=200), max_size=6))
def test_any_query_string_parses_without_error(params):
    state = url_params.parse_query_params(params, metrics=["waves", "launched"])
    assert state.region is None or state.region.startswith("UA-")
    for notice in state.notices:
        assert not re.search(r"(?<!\\)[<>\[\]()*_`]", notice), notice


# ---------------------------------------------------------------- names that touch the disk


@pytest.mark.parametrize(
    "text",
    [
        "../../etc/passwd",
        "..",
        ".",
        "/etc/shadow",
        "..\\..\\Windows",
        "%2e%2e%2f",
        "a/../../b",
        "name\x00.csv",
        ".hidden",
        "~root",
        "CON",
        "x" * 500,
    ],  # fmt: skip
)
def test_safe_dataset_name_never_escapes_the_data_directory(text, tmp_path):
    try:
        name = safe_dataset_name(text)
    except ValueError:
        return
    assert SAFE_NAME.match(name), name
    assert len(name) <= 64, name
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100))
def test_safe_dataset_name_property(text):
    try:
        name = safe_dataset_name(text)
    except ValueError:
        return
    assert SAFE_NAME.match(name)
    assert name not in (".", "..")
    assert len(name) <= 64


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100))
def test_download_file_names_are_one_safe_segment(text):
    name = file_name_from_url("https://example.org/" + text)
    assert "/" not in name
    assert "\\" not in name
    assert "\x00" not in name
    assert name not in ("", ".", "..")
    assert not name.startswith(".")


def test_save_dataset_refuses_a_directory_named_by_traversal(tmp_path):
    result = import_file(BAD / "long_text.csv")
    with pytest.raises(StoreError):
        save_dataset(tmp_path / "data" / "..", result)
    with pytest.raises(StoreError):
        save_dataset(tmp_path / "data" / "ok", result, name="../../escape")
    assert not (tmp_path / "escape").exists()


# ---------------------------------------------------------------- escaped HTML


def _xss_events() -> tuple[pd.DataFrame, pd.DataFrame]:
    result = import_file(BAD / "html_js_payloads.csv")
    return result.events, result.event_regions


def test_map_popups_tooltips_and_export_hold_no_raw_payload():
    from oblastwatch.domain.geo import load_boundaries
    from oblastwatch.present.maps import choropleth_map, legend_bins, standalone_map_html

    events, _ = _xss_events()
    boundaries = load_boundaries()
    values = pd.Series({"UA-51": 2.0})
    m = choropleth_map(
        values,
        boundaries,
        metric_label=PAYLOADS[0],
        unit=PAYLOADS[1],
        points=events,
    )
    page = standalone_map_html(
        m, offline=True, legend=legend_bins(values), legend_title=PAYLOADS[2], title=PAYLOADS[1]
    )
    for payload in PAYLOADS:
        assert payload not in page
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in page  # shown as text, not dropped


def test_timeline_hover_text_is_escaped():
    talks = pd.DataFrame(
        {
            "event_id": ["t:1"],
            "date": [pd.Timestamp("2024-01-02")],
            "first_day": [pd.Timestamp("2024-01-02")],
            "last_day": [pd.Timestamp("2024-01-03")],
            "kind": ["talks"],
            "format": ["bilateral"],
            "title": [PAYLOADS[0]],
            "description": [PAYLOADS[1]],
            "venue": [PAYLOADS[2]],
            "parties": ["UA;US"],
            "source_url": ["javascript:window.__xss=1"],
        }
    )
    for payload in PAYLOADS:
        assert payload not in figures.talk_hover(talks.iloc[0].to_dict())
    assert "&lt;img" in figures.talk_hover(talks.iloc[0].to_dict())


# ---------------------------------------------------------------- URL import limits


class _Slow(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        if self.path == "/silent":
            time.sleep(3)  # longer than the client's timeout
            return
        if self.path == "/gzip-bomb":
            body = gzip.compress(b"a," * 5_000_000)  # ~10 MB once decoded, ~10 KB on the wire
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server(monkeypatch):
    # URL import refuses loopback hosts by default; this test server lives on 127.0.0.1.
    monkeypatch.setenv("OBLASTWATCH_ALLOW_PRIVATE_URLS", "1")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_download_gives_up_on_a_server_that_never_answers(slow_server, tmp_path):
    began = time.monotonic()
    with pytest.raises(DownloadError, match="No answer"):
        download(f"{slow_server}/silent", tmp_path / "a.csv", max_bytes=1000, timeout=0.5)
    assert time.monotonic() - began < 2.5
    assert not (tmp_path / "a.csv").exists()


def test_download_caps_the_decoded_size_of_a_compressed_body(slow_server, tmp_path):
    with pytest.raises(DownloadError, match="limit"):
        download(f"{slow_server}/gzip-bomb", tmp_path / "a.csv", max_bytes=1_000_000, timeout=5)
    assert not (tmp_path / "a.csv").exists()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/a.csv",
        "data:text/csv,a,b",
        "gopher://x/",
        "javascript:alert(1)",
        "//example.org/a.csv",
        "HTTP//example.org",
    ],  # fmt: skip
)
def test_download_refuses_every_scheme_but_http_and_https(url, tmp_path):
    with pytest.raises(DownloadError):
        download(url, tmp_path / "a.csv", max_bytes=1000, timeout=1)
    assert not (tmp_path / "a.csv").exists()
