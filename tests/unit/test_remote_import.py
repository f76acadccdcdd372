"""URL import download: http(s) only, public hosts only, size cap, total deadline, no file
left behind on failure.

The test server listens on 127.0.0.1, which the download refuses unless
``OBLASTWATCH_ALLOW_PRIVATE_URLS=1``: the ``allow_private`` fixture sets it for the tests that
fetch from it; the address checks are tested without it.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from oblastwatch.i18n import Message
from oblastwatch.importers import remote
from oblastwatch.importers.remote import DownloadError, check_url, download, file_name_from_url

BODY = b"time_start,time_end,model\n" * 100
HITS: list[str] = []  # paths the test server was asked for


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        HITS.append(self.path)
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
        elif self.path.startswith("/to-internal/"):  # /to-internal/<host>: redirect there
            self.send_response(302)
            host = unquote(self.path.split("/")[2])
            self.send_header("Location", f"http://{host}/latest/meta-data")
            self.end_headers()
        elif self.path == "/trickle":  # one byte every 50 ms, for far longer than any test
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(2_000):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:  # the client hung up
                pass
        elif self.path == "/stall":  # bytes for 0.5 s, then nothing (HTTP/1.0: closes)
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(10):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.05)
                time.sleep(5)
            except OSError:
                pass
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


@pytest.fixture
def allow_private(monkeypatch):
    monkeypatch.setenv(remote.ALLOW_PRIVATE_ENV, "1")


@pytest.fixture
def refuse_private(monkeypatch):
    monkeypatch.delenv(remote.ALLOW_PRIVATE_ENV, raising=False)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://x.org/a.csv", "/etc/passwd", "javascript:alert(1)", ""]
)
def test_non_http_urls_are_refused(url):
    with pytest.raises(DownloadError, match="Only http"):
        check_url(url)


def test_url_without_host_is_refused():
    with pytest.raises(DownloadError, match="no host"):
        check_url("http://")


def test_download_writes_the_body_and_reports_progress(allow_private, base_url, tmp_path):
    seen = []
    out = download(
        f"{base_url}/data.csv",
        tmp_path / "a.csv",
        max_bytes=10_000,
        progress=lambda got, total: seen.append((got, total)),
    )
    assert out.read_bytes() == BODY
    assert seen[-1] == (len(BODY), len(BODY))


def test_redirect_within_http_is_followed(allow_private, base_url, tmp_path):
    out = download(f"{base_url}/to-data", tmp_path / "a.csv", max_bytes=10_000)
    assert out.read_bytes() == BODY


def test_redirect_to_file_scheme_is_refused(allow_private, base_url, tmp_path):
    with pytest.raises(DownloadError, match="Only http"):
        download(f"{base_url}/to-file", tmp_path / "a.csv", max_bytes=10_000)
    assert not (tmp_path / "a.csv").exists()


@pytest.mark.parametrize("path", ["/data.csv", "/chunked.csv"])
def test_body_over_the_cap_is_refused_and_removed(allow_private, base_url, tmp_path, path):
    with pytest.raises(DownloadError, match="limit"):
        download(f"{base_url}{path}", tmp_path / "a.csv", max_bytes=100)
    assert not (tmp_path / "a.csv").exists()


def test_http_error_is_one_line(allow_private, base_url, tmp_path):
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(f"{base_url}/missing", tmp_path / "a.csv", max_bytes=100)


def test_unreachable_host_gives_a_usable_error(allow_private, tmp_path):
    with pytest.raises(DownloadError, match="failed"):
        download("http://127.0.0.1:9/a.csv", tmp_path / "a.csv", max_bytes=100, timeout=2)


def test_file_name_from_url_is_sanitised():
    assert file_name_from_url("https://x.org/../../etc/passwd") == "passwd"
    assert file_name_from_url("https://x.org/") == "download.csv"
    assert file_name_from_url("https://x.org/a%2F..%2Fb.csv") == "a_.._b.csv"


# --- public hosts only -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("192.0.2.1", "private"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_non_public_addresses_are_classified(address, kind):
    assert remote.non_public_kind(address) == kind


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.1.1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_addresses(address, loopback):
    assert remote.is_loopback_address(address) is loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "10.0.0.1", "169.254.169.254"])
def test_non_public_hosts_are_refused_before_connecting(refuse_private, base_url, tmp_path, host):
    port = base_url.rsplit(":", 1)[1]
    HITS.clear()
    with pytest.raises(DownloadError, match=r"address; URL import only fetches from public hosts"):
        download(f"http://{host}:{port}/data.csv", tmp_path / "a.csv", max_bytes=10_000)
    assert HITS == []
    assert not (tmp_path / "a.csv").exists()


def test_the_refusal_names_the_host_but_not_its_address(refuse_private, tmp_path):
    with pytest.raises(DownloadError) as caught:
        download("http://localhost:9/a.csv", tmp_path / "a.csv", max_bytes=100)
    assert "'localhost'" in str(caught.value)
    assert "127.0.0.1" not in str(caught.value)
    assert remote.ALLOW_PRIVATE_ENV in str(caught.value)


@pytest.mark.parametrize("internal", ["10.0.0.1", "169.254.169.254", "[::1]", "100.64.0.1"])
def test_every_redirect_hop_is_checked(refuse_private, monkeypatch, base_url, tmp_path, internal):
    # The test server stands in for a public host: 127.0.0.1 passes, every other address is
    # judged as usual, so the redirect to an internal host must be refused.
    judge = remote.non_public_kind
    monkeypatch.setattr(remote, "non_public_kind", lambda a: None if a == "127.0.0.1" else judge(a))
    HITS.clear()
    with pytest.raises(DownloadError, match="only fetches from public hosts"):
        download(f"{base_url}/to-internal/{internal}", tmp_path / "a.csv", max_bytes=10_000)
    assert [unquote(hit) for hit in HITS] == [f"/to-internal/{internal}"]
    assert not (tmp_path / "a.csv").exists()


def test_the_address_connected_to_is_checked_too(refuse_private, monkeypatch, base_url, tmp_path):
    # A name that resolved to a public address when checked, then to 127.0.0.1 (DNS rebinding):
    # the connection's peer address is checked again.
    monkeypatch.setattr(remote, "check_public_host", lambda host, port: None)
    HITS.clear()
    with pytest.raises(DownloadError, match="loopback address"):
        download(f"{base_url}/data.csv", tmp_path / "a.csv", max_bytes=10_000)
    assert HITS == []
    assert not (tmp_path / "a.csv").exists()


def test_private_hosts_are_allowed_by_the_environment_or_the_argument(
    refuse_private, monkeypatch, base_url, tmp_path
):
    assert (
        download(
            f"{base_url}/data.csv", tmp_path / "a.csv", max_bytes=10_000, allow_private=True
        ).read_bytes()
        == BODY
    )
    monkeypatch.setenv(remote.ALLOW_PRIVATE_ENV, "1")
    assert download(f"{base_url}/data.csv", tmp_path / "b.csv", max_bytes=10_000).exists()


# --- total deadline --------------------------------------------------------------------------


def test_the_timeout_is_a_deadline_for_the_whole_body(allow_private, base_url, tmp_path):
    # Every byte comes well within any per-read timeout; only a total deadline stops this.
    began = time.monotonic()
    with pytest.raises(DownloadError, match="did not finish within 1 seconds"):
        download(f"{base_url}/trickle", tmp_path / "a.csv", max_bytes=1_000_000, timeout=1)
    assert time.monotonic() - began < 2.0
    assert not (tmp_path / "a.csv").exists()


def test_a_body_that_stalls_is_cut_at_the_deadline(allow_private, base_url, tmp_path):
    # The test server speaks HTTP/1.0, so http.client drops its own reference to the socket;
    # only the watchdog can cut the read that waits: a per-read timeout alone would end it
    # about 0.5 + 1.5 s after the start.
    began = time.monotonic()
    with pytest.raises(DownloadError, match="did not finish within 1.5 seconds"):
        download(f"{base_url}/stall", tmp_path / "a.csv", max_bytes=1_000_000, timeout=1.5)
    assert time.monotonic() - began < 1.9
    assert not (tmp_path / "a.csv").exists()


def test_environment_proxies_are_not_used_while_hosts_are_checked(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://10.0.0.1:3128")
    url = "https://example.org/a.csv"
    checked = remote._session(public_only=True)
    assert checked.merge_environment_settings(url, {}, None, None, None)["proxies"] == {}
    trusted = remote._session(public_only=False)
    assert trusted.merge_environment_settings(url, {}, None, None, None)["proxies"]


@pytest.mark.parametrize("url", ["http://example.org:abc/a.csv", "https://example.org:99999/"])
def test_a_bad_port_is_a_one_line_error(url):
    with pytest.raises(DownloadError, match="port is not a number"):
        check_url(url)


# --- "Local path" errors quote nothing from the file ------------------------------------------


@pytest.mark.parametrize(
    ("reason", "column", "secret", "kept"),
    [
        (Message("unknown format: header has {found}; expected {expected}",
                 {"found": "root:x:0:0:root", "expected": "canonical (date, kind)"}),
         "(none)", "root:x", "unknown format: the header matches no known format"),
        (Message("column {column} appears twice in the header (fields {first} and {second}); "
                 "rename or remove one", {"column": "'api_key=hunter2'", "first": 1, "second": 3}),
         "api_key=hunter2", "hunter2", "appears twice in the header (fields 1 and 3)"),
        (Message("mapping {field}={column} names a column the file does not have "
                 "(columns: {columns})", {"field": "date", "column": "When",
                                          "columns": "alice, bob"}),
         "When", "alice", "names a column the file does not have (columns: …)"),
        (Message("key {key} appears twice in the record", {"key": "'password'"}),
         "password", "password", "key … appears twice"),
        (Message("missing required column for canonical CSV"), "date", None,
         "column date: missing"),
    ],
)  # fmt: skip
def test_errors_of_files_read_by_path_quote_no_content(reason, column, secret, kept):
    from oblastwatch.importers import UnusableInput
    from oblastwatch.ui.imports import redacted_error

    error = UnusableInput("/srv/private/file.csv", reason, row="header", column=column)
    shown = redacted_error(error)
    assert shown.startswith("file.csv: row header, column ")
    assert "\n" not in shown
    assert "/srv/private" not in shown
    assert secret is None or secret not in shown, shown
    assert kept in shown, shown
