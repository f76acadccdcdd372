"""The deployment files (deploy/, docs/deploy.md): what a copy of them must keep.

The image is built where a container engine is running; everywhere else the test says why it
did not build, and the file checks still run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "Dockerfile"
NGINX = REPO / "deploy" / "nginx.conf"
COMPOSE = REPO / "deploy" / "compose.yaml"


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per Dockerfile instruction, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return _instructions(DOCKERFILE.read_text(encoding="utf-8"))


def test_the_base_image_is_pinned(dockerfile):
    bases = [args for word, args in dockerfile if word == "FROM"]
    assert len(bases) == 1
    image = bases[0].split()[0]
    # A digest, or a tag naming the full Python patch release (never "latest" or "3").
    assert "@sha256:" in image or re.fullmatch(r"python:\d+\.\d+\.\d+-slim(-\w+)?", image), image


def test_it_runs_as_a_non_root_user(dockerfile):
    users = [args for word, args in dockerfile if word == "USER"]
    assert users, "no USER instruction: the app would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    last_user = max(i for i, (word, _) in enumerate(dockerfile) if word == "USER")
    cmd = max(i for i, (word, _) in enumerate(dockerfile) if word == "CMD")
    assert last_user < cmd


def test_public_mode_data_volume_and_health_check_are_set(dockerfile):
    env = " ".join(args for word, args in dockerfile if word == "ENV")
    assert "OBLASTWATCH_PUBLIC=1" in env
    assert "OBLASTWATCH_DATA_DIR=/data" in env
    assert any(word == "VOLUME" and "/data" in args for word, args in dockerfile)
    health = [args for word, args in dockerfile if word == "HEALTHCHECK"]
    assert len(health) == 1
    assert "/_stcore/health" in health[0]
    cmd = next(args for word, args in dockerfile if word == "CMD")
    assert "streamlit" in cmd
    assert "app.py" in cmd


def test_the_proxy_passes_websockets_and_keeps_sessions_sticky():
    conf = NGINX.read_text(encoding="utf-8")
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade", conf)
    assert re.search(r"proxy_set_header\s+Connection\s+\$connection_upgrade", conf)
    assert re.search(r"proxy_http_version\s+1\.1", conf)
    assert re.search(r"^\s*(ip_hash|sticky|hash\s+\$cookie_)", conf, re.MULTILINE)


def test_replicas_read_the_data_read_only_and_one_updater_writes():
    compose = COMPOSE.read_text(encoding="utf-8")
    assert "/data:ro" in compose
    assert '"fetch", "mma", "--every"' in compose


def _engine() -> str | None:
    for name in ("docker", "podman"):
        path = shutil.which(name)
        if path is None:
            continue
        ready = subprocess.run([path, "info"], capture_output=True, timeout=30, check=False)
        if ready.returncode == 0:
            return path
    return None


def test_the_image_builds_where_a_container_engine_runs(tmp_path):
    engine = _engine()
    if engine is None:
        pytest.skip(
            "no running container engine (docker or podman with a reachable daemon): the image "
            "is not built here; the file checks above still ran"
        )
    base = next(
        line.split()[1]
        for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()
        if line.startswith("FROM ")
    )
    pulled = subprocess.run(
        [engine, "pull", base], capture_output=True, text=True, timeout=600, check=False
    )
    if pulled.returncode != 0:
        pytest.skip(f"{engine} cannot pull the base image {base} from here: {pulled.stderr[-300:]}")
    built = subprocess.run(
        [engine, "build", "-f", str(DOCKERFILE), "-t", "oblastwatch-test", str(REPO)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    user = subprocess.run(
        [engine, "run", "--rm", "oblastwatch-test", "id", "-u"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert user.stdout.strip() != "0"
