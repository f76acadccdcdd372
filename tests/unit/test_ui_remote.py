"""URL import download: http(s) only, size cap, timeout, no file left behind on failure."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from oblastwatch.ui.remote import DownloadError, check_url, download, file_name_from_url

BODY = b"time_start,time_end,model\n" * 100


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        if self.path == "/data.csv":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
        elif self.path == "/chunked.csv":  # no Content-Length: the cap applies while streaming
            self.send_response(200)
            self.end_headers()
            self.wfile.write(BODY)
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/to-data":
            self.send_response(302)
            self.send_header("Location", "/data.csv")
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://x.org/a.csv", "/etc/passwd", "javascript:alert(1)", ""]
)
def test_non_http_urls_are_refused(url):
    with pytest.raises(DownloadError, match="Only http"):
        check_url(url)


def test_url_without_host_is_refused():
    with pytest.raises(DownloadError, match="no host"):
        check_url("http://")


def test_download_writes_the_body_and_reports_progress(base_url, tmp_path):
    seen = []
    out = download(
        f"{base_url}/data.csv",
        tmp_path / "a.csv",
        max_bytes=10_000,
        progress=lambda got, total: seen.append((got, total)),
    )
    assert out.read_bytes() == BODY
    assert seen[-1] == (len(BODY), len(BODY))


def test_redirect_within_http_is_followed(base_url, tmp_path):
    out = download(f"{base_url}/to-data", tmp_path / "a.csv", max_bytes=10_000)
    assert out.read_bytes() == BODY


def test_redirect_to_file_scheme_is_refused(base_url, tmp_path):
    with pytest.raises(DownloadError, match="Only http"):
        download(f"{base_url}/to-file", tmp_path / "a.csv", max_bytes=10_000)
    assert not (tmp_path / "a.csv").exists()


@pytest.mark.parametrize("path", ["/data.csv", "/chunked.csv"])
def test_body_over_the_cap_is_refused_and_removed(base_url, tmp_path, path):
    with pytest.raises(DownloadError, match="limit"):
        download(f"{base_url}{path}", tmp_path / "a.csv", max_bytes=100)
    assert not (tmp_path / "a.csv").exists()


def test_http_error_is_one_line(base_url, tmp_path):
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(f"{base_url}/missing", tmp_path / "a.csv", max_bytes=100)


def test_unreachable_host_gives_a_usable_error(tmp_path):
    with pytest.raises(DownloadError, match="failed"):
        download("http://127.0.0.1:9/a.csv", tmp_path / "a.csv", max_bytes=100, timeout=2)


def test_file_name_from_url_is_sanitised():
    assert file_name_from_url("https://x.org/../../etc/passwd") == "passwd"
    assert file_name_from_url("https://x.org/") == "download.csv"
    assert file_name_from_url("https://x.org/a%2F..%2Fb.csv") == "a_.._b.csv"
