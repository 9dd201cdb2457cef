"""What every route shares: the per-request store, used across threads as FastAPI uses it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from parallax.pipeline import analyze
from parallax.store import Store
from parallax.web_context import WebContext
from parallax.web_write import WriteSettings

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "karabakh-2023"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("context") / "p.db"
    with Store.open(path) as store:
        analyze([EXAMPLE], store)
    return path


def test_the_request_store_works_from_other_threads_than_the_one_that_opened_it(db: Path) -> None:
    # FastAPI enters a sync dependency, runs the route and leaves the dependency in worker threads that may differ.
    dependency = WebContext(db, WriteSettings()).store()
    # Three live threads at once (a finished thread's id may be reused, which would hide the problem).
    with (
        ThreadPoolExecutor(max_workers=1) as opener,
        ThreadPoolExecutor(max_workers=1) as route,
        ThreadPoolExecutor(max_workers=1) as closer,
    ):
        store = opener.submit(next, dependency).result()
        titles = route.submit(lambda: [s.title for s in store.stories()]).result()
        closer.submit(dependency.close).result()
    assert len(titles) == 2


def test_the_request_store_cannot_write(db: Path) -> None:
    dependency = WebContext(db, WriteSettings()).store()
    store = next(dependency)
    with pytest.raises(Exception, match="readonly"):
        store.replace_stories([])
    dependency.close()
    with Store.open(db) as check:
        assert len(check.stories()) == 2
