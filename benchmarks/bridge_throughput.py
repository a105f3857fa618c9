"""Benchmark: bridge state GET/POST throughput and latency on SQLite and PostgreSQL, and inventory queries.

Runs a real `fedstack bridge serve` per database (PostgreSQL from initdb/pg_ctl in a temporary
folder, run as the `postgres` user when we are root) and prints one table per measurement, with
the floors beside it: writing the same bytes to a local file with fsync, inserting them as one
blob row with a commit into the same kind of database without the bridge, and uploading them to
uvicorn with no bridge behind it (`upload_floor_app.py`), alone and with the bridge's parse.

    .venv/bin/python benchmarks/bridge_throughput.py            # a few minutes
    .venv/bin/python benchmarks/bridge_throughput.py --quick    # smaller counts, for a smoke run
    .venv/bin/python benchmarks/bridge_throughput.py --states-only --httpx   # client overhead
    .venv/bin/python benchmarks/bridge_throughput.py --inventory-only   # the inventory queries only
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import platform
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from fedstack.bridge.store import create_token, migrate, open_engine
from rich.console import Console
from rich.table import Table

console = Console(width=140)
SIZES = {"10 KB": 10 * 1024, "1 MB": 1024 * 1024, "20 MB": 20 * 1024 * 1024}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server; yields a database URL."""
    root = Path(tempfile.mkdtemp(prefix="fedstack-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    subprocess.run(
        _as_postgres(["initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    subprocess.run(
        _as_postgres(
            ["pg_ctl", "-D", str(data), "-l", str(root / "log"), "-o", options, "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE bench")
        yield f"postgresql://postgres@127.0.0.1:{port}/bench"
    finally:
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def bridge(db_url: str, log: Path) -> Iterator[tuple[str, str]]:
    """A running bridge on `db_url`; yields (url, admin token)."""
    engine = open_engine(db_url)
    migrate(engine)
    token = create_token(engine, "*", "admin").secret
    engine.dispose()
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "from fedstack.cli import main; main()",
        "bridge",
        "serve",
        "--db",
        db_url,
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with log.open("ab") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit(f"the bridge did not start: {log.read_text()[-1000:]}")
        time.sleep(0.1)
    try:
        yield url, token
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _state(serial: int, lineage: str, size: int) -> bytes:
    """A state of about `size` bytes that compresses like a real one (ids, ARNs and tags), with no
    resources for the inventory: its bulk is an output holding resource-like records."""
    head = {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": serial,
        "lineage": lineage,
        "resources": [],
    }
    head["outputs"] = {"records": {"type": "string", "value": _records(serial, size - 200)}}
    return json.dumps(head).encode()


@functools.lru_cache(maxsize=64)
def _records(seed: int, size: int) -> str:
    """JSON text of resource-like records, about `size` bytes once escaped into a JSON string."""
    records, length, rng = [], 0, random.Random(seed)
    while length < size:
        n = len(records)
        record = {
            "id": f"bucket-{rng.getrandbits(64):016x}",
            "arn": f"arn:aws:s3:::{rng.getrandbits(48):012x}",
            "tags": {
                "team": f"team-{n % 50}",
                "env": "prod",
                "owner": f"{rng.getrandbits(32):08x}",
            },
            "region": "eu-west-3",
        }
        records.append(record)
        length += len(json.dumps(json.dumps(record))) + 1
    return json.dumps(records)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _timed(count: int, action: Callable[[int], None]) -> tuple[list[float], float]:
    latencies = []
    started = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        action(i)
        latencies.append(time.perf_counter() - t0)
    return latencies, time.perf_counter() - started


def _row(
    table: Table,
    store: str,
    op: str,
    size_name: str,
    size: int,
    latencies: list[float],
    total: float,
) -> None:
    count = len(latencies)
    table.add_row(
        store,
        op,
        size_name,
        str(count),
        f"{count / total:,.1f}",
        f"{count * size / total / 1e6:,.1f}",
        f"{statistics.median(latencies) * 1000:,.2f}",
        f"{_percentile(latencies, 0.99) * 1000:,.2f}",
    )


class _LeanClient:
    """Sequential requests over one keep-alive connection with the standard library's client.

    Terraform's HTTP backend is a Go client; httpx (pure-Python HTTP/1.1 parsing) adds about
    3 ms of its own to a 1 MB GET here, which is the client's time, not the bridge's. `--httpx`
    measures with httpx instead, for comparison.
    """

    def __init__(self, url: str, token: str) -> None:
        host, _, port = url.removeprefix("http://").partition(":")
        self._conn = http.client.HTTPConnection(host, int(port), timeout=120)
        self._headers = {"Authorization": f"Bearer {token}"}

    def request(self, method: str, path: str, body: bytes | None = None) -> bytes:
        self._conn.request(method, path, body=body, headers=self._headers)
        answer = self._conn.getresponse()
        data = answer.read()
        if answer.status >= 300:
            raise SystemExit(f"{method} {path}: {answer.status} {data[:300]!r}")
        return data

    def reconnect(self) -> None:
        """A new connection (the server closes one idle for 5 s), opened by one GET /healthz."""
        self._conn.close()
        self.request("GET", "/healthz")

    def close(self) -> None:
        self._conn.close()


class _HttpxClient:
    def __init__(self, url: str, token: str) -> None:
        self._client = httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120
        )

    def request(self, method: str, path: str, body: bytes | None = None) -> bytes:
        answer = self._client.request(method, path, content=body)
        answer.raise_for_status()
        return answer.content

    def reconnect(self) -> None:
        self.request("GET", "/healthz")  # httpx opens a new connection itself when needed

    def close(self) -> None:
        self._client.close()


def bench_states(
    table: Table, store: str, url: str, token: str, counts: dict[str, int], use_httpx: bool
) -> None:
    """GET /healthz (the HTTP round trip alone), then POST and GET each size on one stack."""
    client = _HttpxClient(url, token) if use_httpx else _LeanClient(url, token)
    try:

        def healthz(_: int) -> None:
            client.request("GET", "/healthz")

        _row(table, store, "GET /healthz", "-", 0, *_timed(counts["10 KB"], healthz))
        for size_name, size in SIZES.items():
            stack = f"/v1/states/bench/s-{uuid.uuid4().hex[:8]}"
            lineage = str(uuid.uuid4())
            bodies = [_state(i + 1, lineage, size) for i in range(counts[size_name])]
            client.reconnect()  # making 20 MB bodies takes longer than the keep-alive

            def post(i: int, stack: str = stack, bodies: list[bytes] = bodies) -> None:
                client.request("POST", stack, bodies[i])

            def get(_: int, stack: str = stack) -> None:
                client.request("GET", stack)

            _row(table, store, "POST", size_name, size, *_timed(len(bodies), post))
            _row(table, store, "GET", size_name, size, *_timed(len(bodies), get))
    finally:
        client.close()


def bench_file_floor(table: Table, counts: dict[str, int]) -> None:
    """The floor: the same bytes written to a local file with fsync, and read back."""
    folder = Path(tempfile.mkdtemp(prefix="fedstack-bench-file-"))
    try:
        for size_name, size in SIZES.items():
            bodies = [_state(i + 1, "floor", size) for i in range(counts[size_name])]
            target = folder / "state.json"

            def write(i: int, target: Path = target, bodies: list[bytes] = bodies) -> None:
                with open(target, "wb") as handle:
                    handle.write(bodies[i])
                    handle.flush()
                    os.fsync(handle.fileno())

            def read(_: int, target: Path = target) -> None:
                target.read_bytes()

            _row(table, "local file + fsync", "write", size_name, size, *_timed(len(bodies), write))
            _row(table, "local file", "read", size_name, size, *_timed(len(bodies), read))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_upload_floor(table: Table, counts: dict[str, int]) -> None:
    """The floor of any POST here: uvicorn receiving the body with no bridge (`upload alone`),
    and the same plus the bridge's `receive_state` (parse, hashes, compression) in a worker
    thread, which a POST must run before it may acknowledge (`upload + receive_state`)."""
    port = _free_port()
    app = Path(__file__).with_name("upload_floor_app.py")
    proc = subprocess.Popen([sys.executable, str(app), "--port", str(port)])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the upload floor app did not start") from None
                time.sleep(0.1)
        client = _LeanClient(f"http://127.0.0.1:{port}", "unused")
        try:
            for size_name, size in SIZES.items():
                bodies = [_state(i + 1, "floor", size) for i in range(counts[size_name])]
                for path, store in (
                    ("/sink", "upload alone"),
                    ("/receive", "upload + receive_state"),
                ):
                    client.reconnect()

                    def post(i: int, path: str = path, bodies: list[bytes] = bodies) -> None:
                        client.request("POST", path, bodies[i])

                    _row(table, store, "POST", size_name, size, *_timed(len(bodies), post))
        finally:
            client.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def bench_database_floor(table: Table, store: str, counts: dict[str, int], url: str) -> None:
    """The database's own floor: the same bytes inserted as one blob row and committed, with no
    bridge (SQLite in WAL mode with synchronous=FULL, as the bridge opens it; PostgreSQL through
    psycopg with a binary parameter), then read back by id."""
    for size_name, size in SIZES.items():
        bodies = [_state(i + 1, "floor", size) for i in range(counts[size_name])]
        if store == "sqlite":
            conn = sqlite3.connect(url, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("CREATE TABLE IF NOT EXISTS floor (id INTEGER PRIMARY KEY, body BLOB)")

            def insert(
                i: int, bodies: list[bytes] = bodies, conn: sqlite3.Connection = conn
            ) -> None:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO floor (id, body) VALUES (?, ?)", (None, bodies[i]))
                conn.execute("COMMIT")
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # as the bridge's indexer does

            def select(_: int, conn: sqlite3.Connection = conn) -> None:
                conn.execute("SELECT body FROM floor ORDER BY id DESC LIMIT 1").fetchone()

            _row(table, "sqlite alone", "insert", size_name, size, *_timed(len(bodies), insert))
            _row(table, "sqlite alone", "select", size_name, size, *_timed(len(bodies), select))
            conn.close()
        else:
            import psycopg

            with psycopg.connect(url) as pg:
                pg.execute("CREATE TABLE IF NOT EXISTS floor (id serial PRIMARY KEY, body bytea)")
                # The bridge's column setting (migration 0011) where the server has lz4.
                methods = pg.execute(
                    "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
                ).fetchone()
                if methods and "lz4" in (methods[0] or []):
                    pg.execute("ALTER TABLE floor ALTER COLUMN body SET COMPRESSION lz4")
                pg.commit()

                def pg_insert(
                    i: int, bodies: list[bytes] = bodies, pg: psycopg.Connection = pg
                ) -> None:
                    pg.execute("INSERT INTO floor (body) VALUES (%b)", (bodies[i],))
                    pg.commit()

                def pg_select(_: int, pg: psycopg.Connection = pg) -> None:
                    pg.execute(
                        "SELECT body FROM floor ORDER BY id DESC LIMIT 1", binary=True
                    ).fetchone()
                    pg.commit()

                _row(table, "pg alone", "insert", size_name, size, *_timed(len(bodies), pg_insert))
                _row(table, "pg alone", "select", size_name, size, *_timed(len(bodies), pg_select))


def _resources(stack: int, count: int) -> list[dict[str, object]]:
    regions = ["eu-west-3", "eu-central-1", "eu-west-1"]
    types = ["aws_s3_bucket", "aws_instance", "aws_route53_record", "aws_vpc"]
    return [
        {
            "mode": "managed",
            "type": types[i % 4],
            "name": f"r{i}",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [
                {
                    "schema_version": 0,
                    "attributes": {
                        "id": f"s{stack}-r{i}",
                        "region": regions[(stack + i) % 3],
                        "tags": {"team": f"team-{i % 17}"},
                    },
                    "sensitive_attributes": [],
                }
            ],
        }
        for i in range(count)
    ]


def bench_inventory(
    table: Table, store: str, url: str, token: str, total: int, queries: int
) -> float:
    """Index `total` resources (100 stacks), then time typical inventory queries; returns index seconds."""
    stacks = 100
    per_stack = total // stacks
    started = time.perf_counter()
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=300
    ) as client:
        for s in range(stacks):
            body = json.dumps(
                {
                    "version": 4,
                    "serial": 1,
                    "lineage": str(uuid.uuid4()),
                    "resources": _resources(s, per_stack),
                }
            )
            client.post(f"/v1/states/inv/stack-{s:03d}", content=body).raise_for_status()
        # Writes are answered before their inventory is built: time until the bridge says it is
        # indexed through every version (a bridge older than that has no `up_to_date`).
        deadline = time.monotonic() + 600
        while client.get("/v1/inventory", params={"limit": 1}).json().get("up_to_date") is False:
            if time.monotonic() > deadline:
                raise SystemExit("the inventory was not indexed within 600 s")
            time.sleep(0.1)
        indexed = time.perf_counter() - started
        cases = {
            "first page, no filter": {},
            "country=FR": {"country": "FR"},
            "provider+type": {"provider": "sandbox-de", "type": "aws_instance"},
            "stack": {"stack": "stack-042"},
            "text q=team-13": {"q": "team-13"},
            "deep page offset=50000": {"offset": 50_000},
        }
        # The same deep page by keyset: the cursor of row 50,000, as paging through would hand it.
        cursor = client.get("/v1/inventory", params={"limit": 1, "offset": 49_999}).json()
        if cursor.get("next_after"):
            cases["deep page after=<row 50000>"] = {"after": cursor["next_after"]}
        for name, params in cases.items():
            latencies, _ = _timed(
                queries,
                lambda _i, p=params: client.get(
                    "/v1/inventory", params={"limit": 100, **p}
                ).raise_for_status(),
            )
            answer = client.get("/v1/inventory", params={"limit": 1, **params}).json()
            # A count stopped at its cap is a lower bound (`total_exact` false): "1,000+".
            matched = f"{answer['total']:,}{'+' if answer.get('total_exact') is False else ''}"
            table.add_row(
                store,
                name,
                matched,
                f"{statistics.median(latencies) * 1000:,.1f}",
                f"{_percentile(latencies, 0.99) * 1000:,.1f}",
            )
        # The stack listing reads each stack's row count (it counted every resource before).
        latencies, _ = _timed(queries, lambda _i: client.get("/v1/stacks").raise_for_status())
        table.add_row(
            store,
            "GET /v1/stacks",
            f"{len(client.get('/v1/stacks').json()['stacks']):,} stacks",
            f"{statistics.median(latencies) * 1000:,.1f}",
            f"{_percentile(latencies, 0.99) * 1000:,.1f}",
        )
    return indexed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small counts (smoke run)")
    parser.add_argument(
        "--states-only", action="store_true", help="state GET/POST only, no inventory queries"
    )
    parser.add_argument(
        "--httpx", action="store_true", help="state requests with httpx instead of http.client"
    )
    parser.add_argument(
        "--inventory-only", action="store_true", help="inventory queries only, no state GET/POST"
    )
    args = parser.parse_args()
    if args.states_only and args.inventory_only:
        parser.error("--states-only and --inventory-only exclude each other")
    counts = (
        {"10 KB": 50, "1 MB": 10, "20 MB": 3}
        if args.quick
        else {"10 KB": 200, "1 MB": 30, "20 MB": 5}
    )
    resources, queries = (10_000, 5) if args.quick else (100_000, 20)

    console.print("[bold]fedstack bridge throughput[/]")
    console.print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{subprocess.run(['postgres', '--version'], capture_output=True, text=True, check=False).stdout.strip()}"
    )
    console.print(
        f"inputs: states {', '.join(f'{n} x{c}' for n, c in counts.items())}; inventory {resources:,} resources in 100 stacks, {queries} runs per query"
    )
    console.print(
        f"one client ({'httpx' if args.httpx else 'http.client'}), sequential requests over one keep-alive "
        "connection, Bearer token (auth on), SQLite synchronous=FULL"
    )

    states = Table(
        "store", "op", "size", "n", "req/s", "MB/s", "p50 ms", "p99 ms", title="state GET/POST"
    )
    inventory = Table(
        "store",
        "query (limit 100)",
        "matches",
        "p50 ms",
        "p99 ms",
        title=f"inventory queries over {resources:,} resources",
    )
    index_times: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix="fedstack-bench-"))
    try:
        if not args.inventory_only:
            bench_file_floor(states, counts)
            bench_upload_floor(states, counts)
            bench_database_floor(states, "sqlite", counts, str(work / "floor.sqlite3"))
        with bridge(f"sqlite:///{work / 'bench.sqlite3'}", work / "sqlite.log") as (url, token):
            if not args.inventory_only:
                bench_states(states, "bridge sqlite", url, token, counts, args.httpx)
            if not args.states_only:
                index_times["sqlite"] = bench_inventory(
                    inventory, "sqlite", url, token, resources, queries
                )
        with postgres() as pg_url, bridge(pg_url, work / "pg.log") as (url, token):
            if not args.inventory_only:
                bench_database_floor(states, "postgresql", counts, pg_url)
                bench_states(states, "bridge pg", url, token, counts, args.httpx)
            if not args.states_only:
                index_times["postgresql"] = bench_inventory(
                    inventory, "postgresql", url, token, resources, queries
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not args.inventory_only:
        console.print(states)
    if not args.states_only:
        console.print(inventory)
    for store, seconds in index_times.items():
        console.print(
            f"indexing {resources:,} resources (100 state writes) on {store}: {seconds:.1f} s ({resources / seconds:,.0f} resources/s)"
        )


if __name__ == "__main__":
    main()
