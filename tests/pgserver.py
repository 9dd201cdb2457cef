"""A throwaway PostgreSQL server for the store tests, and the fixtures that run them on both backends.

The server is Debian's own binaries (`initdb`, `pg_ctl` in /usr/lib/postgresql/*/bin, which
scripts/install-postgres.sh installs; $PARALLAX_PG_BIN names another folder): a fresh cluster in a temporary
folder, trust authentication, listening on 127.0.0.1 only on a free port, started once per test session and
stopped at its end. PostgreSQL refuses to run as root, so under uid 0 the cluster belongs to the `postgres` user
that the Debian package creates. Each test gets a database of its own, dropped afterwards.

Without the binaries (or psycopg) the PostgreSQL variants skip and say why, except under CI=true, where they fail:
CI must prove that the store works on both backends.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest

BACKENDS = ("sqlite", "postgresql")
SUPERUSER = "parallax"
SERVER_SETTINGS = (
    # A test cluster: durability costs time and buys nothing, since the cluster is deleted at the end.
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
)
START_SECONDS = 60


def postgres_bin_dir() -> Path | None:
    """The folder of the PostgreSQL server binaries: $PARALLAX_PG_BIN, else PATH, else Debian's newest; or None."""
    chosen = os.environ.get("PARALLAX_PG_BIN")
    if chosen:
        return Path(chosen) if (Path(chosen) / "initdb").is_file() else None
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent  # PATH may hold a link; pg_ctl lies beside the real initdb
    found = sorted(
        (initdb.parent for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI runs the store tests on PostgreSQL too (scripts/install-postgres.sh)")
    pytest.skip(reason)


@dataclass(slots=True)
class PostgresServer:
    """A running throwaway cluster: `new_database()` gives each caller an empty database's URL."""

    bin_dir: Path
    base: Path
    port: int
    run_as: list[str]
    _numbers: Iterator[int]

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    def url(self, database: str) -> str:
        """The connection URL of `database` on this server."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self, icu_locale: str | None = None) -> str:
        """Create an empty database (collating by an ICU locale, when given) and return its URL."""
        import psycopg

        name = f"test_{next(self._numbers)}"
        # The name is made here and the locale is a test's constant: neither is user input.
        create = f"CREATE DATABASE {name}"
        if icu_locale is not None:
            create += f" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}'"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            try:
                conn.execute(create)
            except psycopg.errors.FeatureNotSupported as error:
                pytest.skip(f"this PostgreSQL cannot collate by ICU locales: {error}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by `new_database`, closing what is still connected to it."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # a name made by new_database

    def _pg(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [*self.run_as, str(self.bin_dir / program), *args]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=START_SECONDS)

    def start(self) -> None:
        """initdb and start the cluster; raise RuntimeError with PostgreSQL's own words when it fails."""
        created = self._pg("initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8")
        if created.returncode != 0:
            raise RuntimeError(f"initdb failed: {created.stderr.strip() or created.stdout.strip()}")
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.base} "
        started = self._pg(
            "pg_ctl", "start", "-w", "-t", str(START_SECONDS), "-D", str(self.data_dir),
            "-l", str(self.base / "server.log"), "-o", options + SERVER_SETTINGS,
        )  # fmt: skip
        if started.returncode != 0:
            log = self.base / "server.log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else started.stderr
            raise RuntimeError(f"pg_ctl start failed: {detail.strip()}")

    def stop(self) -> None:
        """Stop the cluster at once and delete its folder."""
        self._pg("pg_ctl", "stop", "-m", "immediate", "-D", str(self.data_dir))
        shutil.rmtree(self.base, ignore_errors=True)


def start_server() -> PostgresServer:
    """Start a throwaway cluster (as the `postgres` user when running as root)."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError(
            "no PostgreSQL server binaries (initdb) in $PARALLAX_PG_BIN, on PATH or in /usr/lib/postgresql/*/bin"
        )
    base = Path(tempfile.mkdtemp(prefix="parallax-pg-"))
    run_as: list[str] = []
    if os.getuid() == 0:
        shutil.chown(base, user="postgres", group="postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    server = PostgresServer(bin_dir, base, _free_port(), run_as, count(1))
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the whole session, started on first use."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed: pip install 'parallax-news[postgres]'")
    try:
        server = start_server()
    except (FileNotFoundError, RuntimeError, KeyError) as error:
        _unavailable(f"no PostgreSQL server for the tests: {error}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store backend under test: each test using it runs on SQLite and on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def store_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Where a new, empty store lives for this test: a SQLite file path or a PostgreSQL database URL."""
    if backend == "sqlite":
        yield str(tmp_path / "parallax.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop_database(url)


def emptied(target: str) -> str:
    """Empty the store at `target` (a SQLite path or a PostgreSQL URL) and return `target`, for the next example."""
    if not target.startswith("postgresql://"):
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
        return target
    import psycopg

    with psycopg.connect(target, autocommit=True) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'parallax_schema'"
            )
        ]
        if tables:
            conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")  # names from the catalogue
    return target
