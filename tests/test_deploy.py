"""deploy/: two replicas behind nginx with sticky sessions share one PostgreSQL registry.

Needs nginx and PostgreSQL ($GEMEENTEN_TEST_PG_URL); .ci/run installs and starts both, so in CI
this test runs (and fails rather than skips when either is missing)."""
from __future__ import annotations

import asyncio
import os
import shutil
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from conftest import ROOT
from lib import civic

sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "deploy"))
from stack import Stack, nginx_conf  # noqa: E402
from wsclient import Session  # noqa: E402

PG_URL = os.environ.get("GEMEENTEN_TEST_PG_URL")


def _need(what: str, ok: bool) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide {what}")
        pytest.skip(f"{what} not available here")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    _need("nginx", shutil.which("nginx") is not None or Path("/usr/sbin/nginx").exists())
    _need("PostgreSQL (GEMEENTEN_TEST_PG_URL)", bool(PG_URL))
    import sqlalchemy as sa
    name = f"stack_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        with Stack(2, port=_free_ports(1), base_port=_free_ports(2), registry_url=url,
                   workdir=tmp_path_factory.mktemp("stack"), env={"GEMEENTEN_EDITOR_PASSWORD": ""},
                   debug_headers=True) as running:
            yield running
    finally:
        admin.dispose()


def _free_ports(n: int) -> int:
    """The first of ``n`` consecutive free local ports."""
    import socket
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        try:
            socks = [socket.socket() for _ in range(n)]
            for i, sock in enumerate(socks):
                sock.bind(("127.0.0.1", base + i))
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
        return base
    raise RuntimeError("no free ports")


def _get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as r:
        r.read()
        set_cookie = r.headers.get("Set-Cookie")
        return r.headers["X-Upstream"], set_cookie.split(";")[0] if set_cookie else None


def test_sticky_sessions_through_nginx(stack):
    first, cookie = _get(stack.url + "/")
    assert cookie and cookie.startswith("gemeenten_replica=")
    # with the cookie every request (page, static file, health) reaches the same replica
    seen = {_get(stack.url + path, cookie)[0] for path in ["/", "/app/static/leaflet/leaflet.js", "/_stcore/health"] * 4}
    assert seen == {first}
    # new browsers are spread over both replicas
    assert len({_get(stack.url + "/")[0] for _ in range(30)}) == 2


def test_an_initiative_added_on_one_replica_is_seen_on_the_other(stack):
    name = f"Buurtsoep {uuid.uuid4().hex[:6]}"

    async def scenario():
        a = Session(stack.replica_url(0), page="initiatieven", query="gemeente=GM0981")
        b = Session(stack.replica_url(1), page="initiatieven", query="gemeente=GM0981")
        await a.connect()
        await b.connect()
        before = await b.run()
        await a.run()
        saved = await a.run({"Naam": name, "Bron (wie meldt dit?)": "test", "Opslaan": True})
        # another process's write is seen within civic.TOKEN_TTL_S (one registry query per second at most)
        await asyncio.sleep(civic.TOKEN_TTL_S + 0.3)
        after = await b.run()
        through_nginx = Session(stack.url, page="initiatieven", query="gemeente=GM0981")
        await through_nginx.connect()
        proxied = await through_nginx.run()
        for s in (a, b, through_nginx):
            await s.close()
        return before, saved, after, proxied

    before, saved, after, proxied = asyncio.run(scenario())
    for run in (before, saved, after, proxied):
        assert not run.exceptions and run.finished == 0
    assert any(f"Opgeslagen: {name} in Vaals" in text for text in saved.texts), saved.texts

    def vaals(run) -> int:
        label = "Initiatieven en hulpaanbod in Vaals: "
        return int(next(text[len(label):] for text in run.texts if text.startswith(label)).replace(".", ""))
    assert vaals(after) == vaals(before) + 1 == vaals(proxied)  # the other replica and nginx see it


def test_nginx_configuration_for_compose_is_current():
    """deploy/nginx.compose.conf is the output of the script, not a hand-edited copy."""
    expected = nginx_conf(["app1:8501", "app2:8501"], "80")
    assert (ROOT / "deploy" / "nginx.compose.conf").read_text() == expected
