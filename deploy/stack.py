"""N replicas of the app behind nginx with sticky sessions, without containers.

    GEMEENTEN_REGISTRY_URL=postgresql+psycopg://user:pw@host/db \\
        .venv/bin/python deploy/stack.py --replicas 2 --port 8080

Each replica is ``streamlit run server.py`` on its own local port (``--base-port`` + i), all with
the same registry database (``GEMEENTEN_REGISTRY_URL``: PostgreSQL, so every replica sees every
write) and the same ``server.cookieSecret`` (``STREAMLIT_SERVER_COOKIE_SECRET``; generated once
into the work directory when not given). Debian's nginx listens on ``--port`` and sends every
request of one browser to the same replica (``deploy/nginx.conf.in``). The script waits until
every replica and nginx answer, prints the address and stops everything on Ctrl-C or SIGTERM.

``deploy/compose.yaml`` runs the same stack with containers. ``--print-nginx`` prints the nginx
configuration for given upstreams (that is how ``deploy/nginx.compose.conf`` is made).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.in")


def nginx_conf(upstreams: list[str], listen: str, prefix: Path | None = None, debug_headers: bool = False) -> str:
    """The nginx configuration for these upstreams (``host:port``), listening on ``listen``."""
    glob = http = ""
    if prefix is not None:  # a private nginx: its pid, logs and temporary files in the work directory
        glob = f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
        http = "".join(f"    {kind}_temp_path {prefix}/{kind}_temp;\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    servers = "".join(f"        server {u} max_fails=0;\n" for u in upstreams).rstrip("\n")
    debug = "            add_header X-Upstream $upstream_addr;  # which replica answered (tests only)" \
        if debug_headers else ""
    return (TEMPLATE.read_text().replace("@@GLOBAL@@", glob).replace("@@HTTP@@", http)
            .replace("@@SERVERS@@", servers).replace("@@LISTEN@@", listen).replace("@@DEBUG@@", debug))


def _healthy(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} ended with {proc.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


class Stack:
    """Start the replicas and nginx; stop them all on exit (a context manager)."""

    def __init__(self, replicas: int = 2, port: int = 8080, base_port: int = 8501, registry_url: str | None = None,
                 workdir: Path | None = None, env: dict | None = None, debug_headers: bool = False):
        self.replicas, self.port, self.base_port = replicas, port, base_port
        self.registry_url = registry_url or os.environ.get("GEMEENTEN_REGISTRY_URL")
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="gemeenten-stack-"))
        self.env = env or {}
        self.debug_headers = debug_headers
        self.procs: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def replica_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.base_port + i}"

    def _cookie_secret(self) -> str:
        given = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
        if given:
            return given
        path = self.workdir / "cookie_secret"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def __enter__(self) -> "Stack":
        if not self.registry_url:
            raise SystemExit("GEMEENTEN_REGISTRY_URL is not set: replicas must share one (PostgreSQL) registry")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise SystemExit("nginx is not installed (Debian: apt-get install nginx)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.env, "GEMEENTEN_REGISTRY_URL": self.registry_url,
               "STREAMLIT_SERVER_COOKIE_SECRET": self._cookie_secret(), "MALLOC_ARENA_MAX": "2"}
        try:
            for i in range(self.replicas):
                self.procs.append(subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(self.base_port + i),
                     "--server.address", "127.0.0.1", "--server.headless", "true"],
                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for i, proc in enumerate(self.procs):
                _healthy(self.replica_url(i), 120, proc)
            conf = self.workdir / "nginx.conf"
            conf.write_text(nginx_conf([f"127.0.0.1:{self.base_port + i}" for i in range(self.replicas)],
                                       f"127.0.0.1:{self.port}", self.workdir, self.debug_headers))
            self.nginx = subprocess.Popen([nginx, "-c", str(conf), "-p", str(self.workdir), "-g", "daemon off;"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _healthy(self.url, 30, self.nginx)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        for proc in [self.nginx, *self.procs]:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in [self.nginx, *self.procs]:
            if proc is not None:
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--port", type=int, default=8080, help="where nginx listens")
    ap.add_argument("--base-port", type=int, default=8501, help="replica i listens on base-port + i")
    ap.add_argument("--workdir", type=Path, help="nginx configuration, logs and the cookie secret (default: a new temp dir)")
    ap.add_argument("--print-nginx", action="store_true", help="print the nginx configuration and exit")
    ap.add_argument("--upstream", action="append", help="with --print-nginx: host:port of a replica (repeatable)")
    ap.add_argument("--listen", default="80", help="with --print-nginx: nginx's listen address")
    args = ap.parse_args()
    if args.print_nginx:
        print(nginx_conf(args.upstream or [f"127.0.0.1:{args.base_port + i}" for i in range(args.replicas)],
                         args.listen), end="")
        return
    with Stack(args.replicas, args.port, args.base_port, workdir=args.workdir) as stack:
        print(f"{args.replicas} replicas behind nginx at {stack.url} (work directory {stack.workdir})", flush=True)
        stop = []
        signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
        with contextlib.suppress(KeyboardInterrupt):
            while not stop and all(p.poll() is None for p in [stack.nginx, *stack.procs]):
                time.sleep(0.5)


if __name__ == "__main__":
    main()
