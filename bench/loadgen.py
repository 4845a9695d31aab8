"""Load for the journal benchmark (``bench/journal.py``): a gunicorn server run for the length
of a measure, and a load generator — Debian's ``wrk`` (installed with apt-get when missing and
possible), or, when it is unavailable, a small Python generator with threads.

Both report the same figures: completed requests, the duration, requests that failed (a
connection error or an answer that is not 2xx/3xx) and latency percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import http.client
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


# --- gunicorn --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """``gunicorn setka.config.wsgi`` with the benchmark settings, sync workers. Started in its
    own process group and stopped (TERM, then KILL) on exit, also when the script fails."""

    def __init__(
        self, env: dict[str, str], workers: int = 2, threads: int = 1, log: Path | None = None
    ) -> None:
        self.env = env
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.log = log or Path(tempfile.gettempdir()) / f"setka-bench-gunicorn-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        out = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True, check=False
        )
        return [int(x) for x in out.stdout.split()]

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn),
            "setka.config.wsgi",
            "--pythonpath",
            str(ROOT),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync" if self.threads == 1 else "gthread",
            "--threads",
            str(self.threads),
            "--timeout",
            "120",
            "--backlog",
            "256",
        ]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                command,
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _RUNNING.add(self)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log.read_text()[-3000:]}")
            try:
                status, _ = http_get(self.base + "/healthz")
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer in 60 s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        _RUNNING.discard(self)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the process group we started, by its id
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


_RUNNING: set[Gunicorn] = set()


def stop_all() -> None:
    """Stop every server still running (atexit and signal handlers call this)."""
    for server in list(_RUNNING):
        server.stop()


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    host, _, path = url.removeprefix("http://").partition("/")
    conn = http.client.HTTPConnection(host, timeout=60)
    try:
        conn.request("GET", "/" + path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


#: How the modules' benchmarks describe the pages served again (written into their sections).
SERVED = (
    "«Rendered» is the page made by its view (the page cache off: `PAGE_CACHE=False`); «served "
    "again» is the same page answered from the cache of `core.pagecache` while nothing it shows "
    "has changed: the session, the user, their roles and unread count and the stamps of the "
    "page's data (`core.changes`: one query) are read, the page's HTML comes from Redis. Under "
    "load the clients send back the cookies a browser keeps (the session and the CSRF cookie), "
    "so the load measures the pages as a visitor coming back to them gets them; any write to "
    "the page's data (a new application, a booking, an edited event) makes the next answer a "
    "rendered one."
)


def same_page(a: bytes, b: bytes) -> bool:
    """The same page but for its CSRF tokens (each rendering masks the secret anew)."""
    import re

    token = re.compile(rb"[A-Za-z0-9]{64}")
    return token.sub(b"T", a) == token.sub(b"T", b)


def browser_cookie(session_key: str | None = None) -> dict[str, str]:
    """The ``Cookie`` header of a browser that has been on the site before: its session (when
    signed in) and its CSRF cookie, which every page of the site sets on the first visit and a
    browser sends back with every later one. Without it, every answer would set a new one."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    csrf = "".join(secrets.choice(alphabet) for _ in range(32))  # Django's CSRF secret
    cookies = [f"csrftoken={csrf}"]
    if session_key:
        cookies.insert(0, f"sessionid={session_key}")
    return {"Cookie": "; ".join(cookies)}


# --- CPU accounting ------------------------------------------------------------------------


def proc_cpu_map(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each of these processes still alive."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


class CpuMeter:
    """The CPU time the server's workers, the PostgreSQL backends of the benchmark database and
    the load generator (a finished child process) use during a run. ``server_pids`` and
    ``pg_pids`` are called at the start and at the end: a process born during the run counts
    in full, one that ends during it is lost (rare: connections persist)."""

    def __init__(self, server_pids, pg_pids) -> None:
        self.server_pids, self.pg_pids = server_pids, pg_pids

    def __enter__(self) -> CpuMeter:
        self.server = proc_cpu_map(self.server_pids())
        self.pg = proc_cpu_map(self.pg_pids())
        self.children = _children_cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        def spent(before: dict[int, float], pids: list[int]) -> float:
            now = proc_cpu_map(sorted(set(pids) | set(before)))
            return sum(v - before.get(pid, 0.0) for pid, v in now.items())

        self.result = {
            "server": spent(self.server, self.server_pids()),
            "postgres": spent(self.pg, self.pg_pids()),
            "client": _children_cpu() - self.children,
        }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- results -------------------------------------------------------------------------------


@dataclass
class LoadResult:
    tool: str
    requests: int  # completed requests
    seconds: float
    failed: int  # connection errors and answers other than 2xx/3xx
    latency_ms: dict[str, float] = field(default_factory=dict)  # p50, p90, p95, p99, max
    cpu_s: dict[str, float] = field(default_factory=dict)  # server, postgres, client: seconds

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# --- wrk ------------------------------------------------------------------------------------

WRK_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50": %d, "p90": %d, "p95": %d, ' ..
    '"p99": %d, "max": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""


def find_wrk(install: bool = True) -> str | None:
    """The wrk binary; when missing, try Debian's package (as root or with password-less sudo),
    as ``scripts/ensure-chromium.sh`` does for chromium."""
    path = shutil.which("wrk")
    if path or not install or not shutil.which("apt-get"):
        return path
    sudo: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo") or subprocess.call(["sudo", "-n", "true"]) != 0:
            return None
        sudo = ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("installing Debian's wrk…", flush=True)
    install_cmd = [*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", "wrk"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    if subprocess.call(install_cmd, **quiet) != 0:  # type: ignore[call-overload]
        subprocess.call([*sudo, "apt-get", "update", "-q"], **quiet)  # type: ignore[call-overload]
        subprocess.call(install_cmd, **quiet)  # type: ignore[call-overload]
    return shutil.which("wrk")


def run_wrk(
    wrk: str,
    url: str,
    *,
    seconds: float,
    clients: int,
    headers: dict[str, str] | None = None,
    lua: str = "",
) -> LoadResult:
    """``wrk -t2 -c<clients> -d<seconds>s`` with a Lua script that prints the figures as JSON
    (``lua`` may define ``request`` to vary the requests)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + "\n" + WRK_DONE)
    try:
        command = [
            wrk,
            "-t",
            str(min(2, clients)),
            "-c",
            str(clients),
            "-d",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            script.name,
        ]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        url = quote(url, safe=":/?&=%+,;@#[]!$'()*~")  # wrk takes ASCII addresses only
        done = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH-RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCH-RESULT "))
    # A sync gunicorn worker closes the connection after each answer: wrk reconnects, and a
    # close it sees while reading is a "read error" only when no answer came.
    failed = data["connect"] + data["write"] + data["status"] + data["timeout"] + data["read"]
    return LoadResult(
        tool="wrk",
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        failed=failed,
        latency_ms={k: data[k] / 1000 for k in ("p50", "p90", "p95", "p99", "max")},
    )


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string here (ASCII only)


# --- the Python fallback ---------------------------------------------------------------------


def run_python(
    url: str,
    *,
    seconds: float,
    clients: int,
    headers: dict[str, str] | None = None,
    bodies: list[tuple[dict[str, str], bytes]] | None = None,
    path: str | None = None,
) -> LoadResult:
    """``clients`` threads, each sending one request at a time (a new connection each, as a
    sync gunicorn worker closes it) for ``seconds``: GETs of ``url``, or POSTs of ``bodies`` in
    turn (extra headers, body). Used when wrk is unavailable; its own CPU use is higher."""
    host = url.removeprefix("http://").split("/", 1)[0]
    target = path or "/" + url.removeprefix("http://").partition("/")[2]
    latencies: list[float] = []
    failed = 0
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal failed
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, timeout=30)
                if bodies:
                    extra, body = bodies[next(counter) % len(bodies)]
                    conn.request("POST", target, body=body, headers={**(headers or {}), **extra})
                else:
                    conn.request("GET", target, headers=headers or {})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status >= 400:
                    bad += 1
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            failed += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)
    if not ms:
        raise RuntimeError("the load generator completed no request")
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return LoadResult(
        tool="python",
        requests=len(ms),
        seconds=elapsed,
        failed=failed,
        latency_ms={
            "p50": cuts[49],
            "p90": cuts[89],
            "p95": cuts[94],
            "p99": cuts[98],
            "max": ms[-1],
        },
    )


def module_main(bench: ModuleType, *, name: str, requests: int) -> int:
    """The command line shared by the modules' benches (bench/<name>.py): parse the options,
    stop the servers on any exit, build or reuse the database, collect the static files, then
    ``bench.measure`` and ``bench.render``, writing its ``SECTION`` of docs/benchmarks.md."""
    from bench.demo_build import DOC, postgres_version, write_section  # demo_build uses loadgen

    parser = argparse.ArgumentParser(description=bench.__doc__.split("\n\n")[0])
    env_url = f"BENCH_{name.upper()}_DATABASE_URL"
    parser.add_argument("--database-url", default=os.environ.get(env_url) or bench.DEFAULT_URL)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or bench.DEFAULT_REDIS)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--requests", type=int, default=requests, help="In-process requests per page."
    )
    parser.add_argument("--python-load", action="store_true", help="Do not use wrk.")
    parser.add_argument("--no-write", action="store_true")
    args, unknown = parser.parse_known_args()
    if unknown:
        print(f"bench/{name}.py ignores {' '.join(unknown)}", file=sys.stderr)
    atexit.register(stop_all)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, _f: (stop_all(), sys.exit(128 + signum)))
    started = dt.datetime.now(dt.UTC)
    database = bench.ensure_database(args.database_url, args.rebuild)
    env = bench.server_env(args)
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "-m", "setka", "collectstatic", "--no-input", "-v", "0"],
        env=env, cwd=bench.ROOT, check=True,
    )  # fmt: skip
    data = bench.measure(args, env)
    data.update(
        database=database, pg=postgres_version(args.database_url),
        date=f"{started:%Y-%m-%d}",
    )  # fmt: skip
    section = bench.render(data, args)
    print(section)
    if not args.no_write:
        write_section(section, bench.SECTION)
        print(f"written to {DOC.relative_to(bench.ROOT)}")
    return 0 if data["passed"] else 1


def ratio(rate: float, floor_rate: float) -> float:
    """The page's throughput over its floor's; a floor that answered nothing within the run
    (a feed of megabytes on a loaded machine) makes any answering page infinitely better."""
    if floor_rate:
        return rate / floor_rate
    return float("inf") if rate else 0.0
