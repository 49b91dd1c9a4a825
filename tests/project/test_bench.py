"""The benchmark's safety and its pure pieces (scripts/bench.py, therapy/bench.py).

Nothing here times anything: the benchmark is run by hand (`make bench`), not by the suite.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts/bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

SQLITE = "django.db.backends.sqlite3"

WRK_OUTPUT = """\
Running 3s test @ http://127.0.0.1:8810/bench/bare/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    23.10ms    4.02ms  61.87ms   90.12%
    Req/Sec   347.26     30.11   404.00     70.00%
  Latency Distribution
     50%   22.41ms
     75%   24.20ms
     90%   26.99ms
     99%    1.05s
  2077 requests in 3.00s, 33.64MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    692.13
Transfer/sec:     11.20MB
"""


@pytest.fixture
def own(tmp_path):
    """A folder as the benchmark makes it: marked, the database file not yet there."""
    (tmp_path / bench.MARKER).write_text("bench")
    return tmp_path / bench.DATABASE_FILE


def test_it_runs_on_its_own_fresh_file(own):
    bench.refuse_foreign_database({"ENGINE": SQLITE, "NAME": str(own)}, own)


@pytest.mark.parametrize(
    "database",
    [
        {"ENGINE": "django.db.backends.postgresql", "NAME": "bekkenbodem"},
        {"ENGINE": SQLITE, "NAME": str(ROOT / "db.sqlite3")},
        {"ENGINE": SQLITE, "NAME": "bench.sqlite3"},
        {"ENGINE": SQLITE, "NAME": ""},
    ],
)
def test_it_refuses_a_database_that_is_not_its_own(own, database):
    with pytest.raises(bench.Refused):
        bench.refuse_foreign_database(database, own)


def test_it_refuses_a_folder_it_did_not_mark(tmp_path):
    own = tmp_path / bench.DATABASE_FILE

    with pytest.raises(bench.Refused, match="not a folder this benchmark made"):
        bench.refuse_foreign_database({"ENGINE": SQLITE, "NAME": str(own)}, own)


def test_it_refuses_a_file_that_holds_data(own):
    own.write_bytes(b"SQLite format 3\x00")

    with pytest.raises(bench.Refused, match="already holds data"):
        bench.refuse_foreign_database({"ENGINE": SQLITE, "NAME": str(own)}, own)


def test_it_refuses_to_run_when_the_caller_set_a_database_url(own):
    with pytest.raises(bench.Refused, match="DATABASE_URL"):
        bench.refuse_foreign_database(
            {"ENGINE": SQLITE, "NAME": str(own)}, own, caller_url="postgres://db/bekkenbodem"
        )


def test_it_reads_wrk_output():
    found = bench.parse_wrk(WRK_OUTPUT)

    assert found == {"requests": 2077, "rps": 692.13, "p50": 22.41, "p99": 1050.0, "errors": 7}


def test_it_says_when_wrk_output_lacks_a_number():
    with pytest.raises(ValueError, match="requests"):
        bench.parse_wrk("Requests/sec: 3.0\n")


def test_it_prints_one_table_with_the_share_of_the_bare_view():
    def rounds(rps, cpu):
        return [
            {"rps": rps + d, "p50": 10.0 + d, "p99": 30.0, "cpu_ms": cpu, "errors": 0}
            for d in (-5, 0, 9)
        ]

    rows = bench.add_ratios(
        [
            bench.median_row("lesson", rounds(300, 4.0), size=15000, queries=1),
            bench.median_row("bare view", rounds(600, 1.0), size=15000, queries=1),
        ]
    )
    table = bench.format_table([("kept pages", rows)])

    assert rows[0]["rps"] == 300 and rows[0]["p50"] == 10.0
    assert rows[0]["ratio"] == pytest.approx(0.5)
    assert rows[0]["cpu_ratio"] == pytest.approx(0.25)
    lines = table.splitlines()
    assert lines[0].split() == [
        "page",
        "bytes",
        "SQL",
        "req/s",
        "p50",
        "ms",
        "p99",
        "ms",
        "CPU",
        "ms",
        "rps/bare",
        "bareCPU/CPU",
    ]
    assert lines[2] == "kept pages"
    assert lines[3].split() == [
        "lesson",
        "15000",
        "1",
        "300",
        "10.0",
        "30.0",
        "4.00",
        "0.50",
        "0.25",
    ]
    assert lines[4].split()[-2:] == ["1.00", "1.00"]


def test_it_reads_a_process_cpu_time_from_proc():
    assert bench.cpu_ticks("self") >= 0


# --- The bare view (therapy/bench.py) --------------------------------------------------------


def test_it_is_a_404_when_the_setting_is_off(alice_client):
    assert alice_client.get("/bench/bare/").status_code == 404


def test_it_sends_a_body_of_the_given_size_when_on(alice_client, settings):
    settings.BENCH_BARE_VIEW = True
    settings.BENCH_BARE_BYTES = 15_000

    response = alice_client.get("/bench/bare/")

    assert response.status_code == 200
    assert len(response.content) == 15_000
    assert "Content-Security-Policy" in response  # through the same middleware


def test_it_asks_to_log_in_like_her_pages(client, settings):
    settings.BENCH_BARE_VIEW = True

    response = client.get("/bench/bare/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_answers_only_get(alice_client, settings):
    settings.BENCH_BARE_VIEW = True

    assert alice_client.post("/bench/bare/").status_code == 405
