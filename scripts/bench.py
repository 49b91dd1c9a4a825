"""The benchmark of issue 11: `make bench`, or .venv/bin/python scripts/bench.py --help.

In a throw-away folder it makes its own SQLite database (it refuses any other), seeds it
(the demo course reshaped to 60 lessons in 6 steps, 2,000 patients at every stage of the
course, a year of diary, practice and questionnaires for 200 of them), starts gunicorn
with production settings (DEBUG off, 2 sync workers) on 127.0.0.1, logs in through the
real forms (the therapists with a TOTP code) and loads each page with wrk -c16. Then it
prints one table: bytes, SQL queries (a test-client request of the same page), req/s, p50
and p99 latency, the workers' own CPU time per request, and req/s as a share of the bare
page (therapy/bench.py: the same middleware and session, a body of the lesson's size).

Kept pages first, then (unless --no-fresh) the patient pages built afresh (KEEP_PAGES=0):
in real use a process keeps only what it has served, so many views are built.

Each number is the median of --rounds rounds; before each round it waits (a bounded
time) for an idle machine. Whatever happens it stops gunicorn and removes its folder.
This is a benchmark, not a test: nothing here asserts a time.
"""

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # therapy.envvars (no Django: only reads a file)

from therapy.envvars import settings_variables  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
MARKER = ".bekkenbodem-bench"  # settings.BENCH_MARKER: the bare page may be on only here
DATABASE_FILE = "bench.sqlite3"

# Everything therapy/settings.py reads (and gunicorn's own): the caller's values must not
# leak into the run.
SETTINGS_VARIABLES = settings_variables() | {"GUNICORN_CMD_ARGS"}

# The patient pages that courses/pagecache.py keeps, and so have a "fresh" row too.
KEPT = {"course overview", "lesson", "/today/", "dashboard", "diary"}


class Refused(Exception):
    """The benchmark will not run here (a foreign database, a missing tool)."""


class OutOfTime(BaseException):
    """--timeout passed."""


# --- Pure logic (tests/project/test_bench.py) ------------------------------------------------


def refuse_foreign_database(database, own_path, *, caller_url=None):
    """Raise Refused unless `database` (a DATABASES entry) is our own fresh SQLite file.

    own_path is the file this run chose, in the folder it made and marked; caller_url is
    the DATABASE_URL the caller had set (the benchmark makes its own, never uses another).
    """
    own = Path(own_path)
    if caller_url:
        raise Refused(
            "DATABASE_URL is set: the benchmark seeds and loads a database of its own and "
            "never touches another. Unset DATABASE_URL and run it again."
        )
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        raise Refused(f"the database is {database.get('ENGINE')}, not the benchmark's SQLite file")
    name = Path(str(database.get("NAME") or ""))
    if not name.is_absolute() or name.resolve() != own.resolve():
        raise Refused(f"the database is {name}, not the benchmark's own file {own}")
    if not (own.parent / MARKER).is_file():
        raise Refused(f"{own.parent} is not a folder this benchmark made")
    if own.exists() and own.stat().st_size > 0:
        raise Refused(f"{own} already holds data: the benchmark starts from an empty file")


def parse_duration(text):
    """wrk's "1.23ms", "850.00us", "2.01s" or "1.5m" in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(output):
    """{requests, rps, p50, p99, errors} from `wrk --latency` output (times in ms)."""
    found = {"errors": 0}
    if match := re.search(r"^\s*(\d+) requests in", output, re.MULTILINE):
        found["requests"] = int(match.group(1))
    if match := re.search(r"Requests/sec:\s*([\d.]+)", output):
        found["rps"] = float(match.group(1))
    for label, key in (("50", "p50"), ("99", "p99")):
        if match := re.search(rf"^\s*{label}(?:\.000)?%\s+(\S+)", output, re.MULTILINE):
            found[key] = parse_duration(match.group(1))
    if match := re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output):
        found["errors"] += int(match.group(1))
    if match := re.search(r"Socket errors:(.*)", output):
        found["errors"] += sum(int(n) for n in re.findall(r"\d+", match.group(1)))
    missing = {"requests", "rps", "p50", "p99"} - found.keys()
    if missing:
        raise ValueError(f"wrk said nothing about {', '.join(sorted(missing))}:\n{output}")
    return found


def median_row(name, rounds, *, size, queries):
    """One row of the table from the rounds of one page (dicts from measure())."""
    return {
        "page": name,
        "bytes": size,
        "queries": queries,
        "rps": statistics.median(r["rps"] for r in rounds),
        "p50": statistics.median(r["p50"] for r in rounds),
        "p99": statistics.median(r["p99"] for r in rounds),
        "cpu_ms": statistics.median(r["cpu_ms"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
    }


def add_ratios(rows, bare_name="bare view"):
    """Each row's req/s as a share of the bare view's in the same set of rows, and the
    same from CPU time (the bare view's CPU per request over the page's), which a busy
    machine disturbs less."""
    bare = next((r for r in rows if r["page"] == bare_name), None)
    for row in rows:
        row["ratio"] = row["rps"] / bare["rps"] if bare and bare["rps"] else None
        row["cpu_ratio"] = bare["cpu_ms"] / row["cpu_ms"] if bare and row["cpu_ms"] else None
    return rows


def _share(value):
    return "" if value is None else f"{value:.2f}"


def format_table(sections):
    """One table: [(title, rows)] with a title line before each set of rows."""
    header = (
        f"{'page':<30} {'bytes':>7} {'SQL':>4} {'req/s':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'CPU ms':>7} {'rps/bare':>8} {'bareCPU/CPU':>11}"
    )
    lines = [header, "-" * len(header)]
    for title, rows in sections:
        lines.append(title)
        for row in rows:
            flag = f"  ({row['errors']} errors)" if row.get("errors") else ""
            lines.append(
                f"  {row['page']:<28} {row['bytes']:>7} {row['queries']:>4} {row['rps']:>7.0f} "
                f"{row['p50']:>7.1f} {row['p99']:>7.1f} {row['cpu_ms']:>7.2f} "
                f"{_share(row.get('ratio')):>8} {_share(row.get('cpu_ratio')):>11}{flag}"
            )
    return "\n".join(lines)


def cpu_ticks(pid):
    """utime + stime of one process, in clock ticks (/proc/<pid>/stat fields 14 and 15)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the name may hold spaces
    return int(fields[11]) + int(fields[12])


def children(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


def idle_share(seconds=0.5):
    """The share of CPU time the machine was idle over `seconds`."""

    def sample():
        numbers = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return numbers[3] + numbers[4], sum(numbers[:8])  # idle + iowait, total

    idle_before, total_before = sample()
    time.sleep(seconds)
    idle_after, total_after = sample()
    return (idle_after - idle_before) / max(1, total_after - total_before)


# --- The run ---------------------------------------------------------------------------------


@dataclass
class Run:
    args: argparse.Namespace
    tmp: Path
    port: int
    env: dict = field(default_factory=dict)
    server: subprocess.Popen | None = None
    log: object = None
    idle_left: float = 0.0
    idle_seen: list = field(default_factory=list)
    timings: list = field(default_factory=list)
    sections: list = field(default_factory=list)  # (title, rows), as each set is done

    @property
    def database(self):
        return self.tmp / DATABASE_FILE

    def timed(self, what, function):
        started = time.monotonic()
        result = function()
        self.timings.append((what, time.monotonic() - started))
        return result


def environment(run, secret_key):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "therapy.settings",
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "DATABASE_URL": f"sqlite:///{run.database}",
            "CACHE_DIR": str(run.tmp / "cache"),
            "MEDIA_ROOT": str(run.tmp / "media"),
            "STATIC_ROOT": str(run.tmp / "static"),
            # Nothing is sent; a closed port in our own range, should anything try.
            "EMAIL_URL": f"smtp://127.0.0.1:{run.port + 9}",
            "SITE_URL": f"https://127.0.0.1:{run.port}",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def setup_django(run):
    caller_url = os.environ.get("DATABASE_URL")
    os.environ.update(run.env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    refuse_foreign_database(settings.DATABASES["default"], run.database, caller_url=caller_url)


def prepare(run):
    from django.core.management import call_command

    run.timed("migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    run.timed(
        "collectstatic", lambda: call_command("collectstatic", verbosity=0, interactive=False)
    )
    run.timed("seed_demo (the demo course)", lambda: call_command("seed_demo", verbosity=0))
    from bench_data import seed  # scripts/bench_data.py: the large dataset

    return run.timed(
        f"seed ({run.args.patients} patients)",
        lambda: seed(patients=run.args.patients, timed=run.timed),
    )


def count_queries(facts, pages, *, keep):
    """{page: (SQL queries, bytes)} of a test-client request, the caches warm."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts = {}
    clients = {}
    with override_settings(KEEP_PAGES=keep, BENCH_BARE_VIEW=True):
        for name, (path, who) in pages.items():
            if who not in clients:
                clients[who] = Client()
                clients[who].force_login(facts["users"][who])
            client = clients[who]
            client.get(path, secure=True)  # built (and kept), the fragments filled
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, secure=True)
            if response.status_code != 200:
                raise Refused(f"{path} as {who}: {response.status_code} in the test client")
            counts[name] = len(queries)
    return counts


def start_server(run, *, keep, bare_bytes):
    env = {
        **run.env,
        "KEEP_PAGES": "1" if keep else "0",
        "BENCH_BARE_VIEW": "1",
        "BENCH_BARE_BYTES": str(bare_bytes),
    }
    run.log = open(run.tmp / "gunicorn.log", "ab")  # noqa: SIM115 - closed in stop_server
    run.server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            GUNICORN,
            "therapy.wsgi",
            "--bind",
            f"127.0.0.1:{run.port}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=run.log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopping it stops its workers
    )
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if run.server.poll() is not None:
            raise Refused(f"gunicorn stopped ({run.server.returncode}):\n{tail(run)}")
        with contextlib.suppress(requests.RequestException):
            answer = requests.get(
                f"http://127.0.0.1:{run.port}/healthz",
                headers={"X-Forwarded-Proto": "https"},
                timeout=5,
            )
            if answer.status_code < 500 and len(children(run.server.pid)) == 2:
                return
        time.sleep(0.3)
    raise Refused(f"gunicorn did not answer on port {run.port} within 60 s:\n{tail(run)}")


def stop_server(run):
    if run.server is not None:
        if run.server.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.server.pid, signal.SIGTERM)
            try:
                run.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(run.server.pid, signal.SIGKILL)
                run.server.wait(timeout=5)
        run.server = None
    if run.log is not None:
        run.log.close()
        run.log = None


def tail(run, lines=20):
    try:
        return "\n".join(
            (run.tmp / "gunicorn.log").read_text(errors="replace").splitlines()[-lines:]
        )
    except OSError:
        return ""


class Browser:
    """Cookies by name (the __Host- ones too, over plain HTTP as nginx would pass them)."""

    def __init__(self, port):
        import requests

        self.base = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self.cookies = {}

    def request(self, method, path, **kwargs):
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "nl"}
        if method == "POST":
            origin = self.base.replace("http://", "https://")
            headers.update({"Origin": origin, "Referer": origin + path})
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        response = self.session.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        for line in response.raw.headers.getlist("Set-Cookie"):
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in (morsel["expires"] or ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def post_form(self, path, page, data):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not token:
            raise Refused(f"no CSRF token on {path}")
        return self.request("POST", path, data={"csrfmiddlewaretoken": token.group(1), **data})


def log_in(port, email, password, totp_secret=None):
    """A session through the real login form (and the two-factor form), as a browser would."""
    browser = Browser(port)
    page = browser.request("GET", "/accounts/login/")
    answer = browser.post_form("/accounts/login/", page, {"login": email, "password": password})
    if answer.status_code != 302:
        raise Refused(f"logging in as {email}: {answer.status_code}")
    if totp_secret:
        path = answer.headers["Location"]
        if "/2fa/" not in path:
            raise Refused(f"{email} was not asked for a two-factor code ({path})")
        page = browser.request("GET", path)
        answer = browser.post_form(path, page, {"code": totp_code(totp_secret)})
        if answer.status_code != 302 or "/2fa/" in answer.headers.get("Location", ""):
            raise Refused(f"the two-factor code for {email} was refused ({answer.status_code})")
    return browser


def totp_code(secret):
    """The code an authenticator app shows now, by allauth's own functions."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if 30 - time.time() % 30 < 3:  # about to expire: wait for the next one
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def wait_for_idle(run):
    """Up to a few seconds (out of --idle-wait in all) until the machine is mostly idle."""
    deadline = time.monotonic() + min(5.0, run.idle_left)
    started = time.monotonic()
    share = idle_share()
    while share < run.args.idle and time.monotonic() < deadline:
        share = idle_share()
    run.idle_left = max(0.0, run.idle_left - (time.monotonic() - started))
    run.idle_seen.append(share)


def drain(run, workers, seconds=60):
    """Wait until the workers are done with what wrk left queued (their CPU time stops
    growing), so that one page's requests are not counted in the next page's round."""
    deadline = time.monotonic() + seconds
    before = sum(cpu_ticks(pid) for pid in workers)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = sum(cpu_ticks(pid) for pid in workers)
        if now == before:
            return
        before = now


def measure(run, path, cookie):
    """One round of wrk on one page: its numbers and the workers' CPU per request."""
    wait_for_idle(run)
    workers = children(run.server.pid)
    before = {pid: cpu_ticks(pid) for pid in workers}
    result = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [
            WRK,
            "-t2",
            f"-c{run.args.connections}",
            f"-d{run.args.duration}s",
            "--latency",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: {cookie}",
            "-H",
            "X-Forwarded-Proto: https",
            "-H",
            "Accept-Language: nl",
            f"http://127.0.0.1:{run.port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=run.args.duration + 30,
    )
    if result.returncode != 0:
        raise Refused(f"wrk failed on {path}: {result.stderr.strip()}")
    found = parse_wrk(result.stdout)
    if children(run.server.pid) != workers:
        raise Refused(f"a gunicorn worker restarted during {path}:\n{tail(run)}")
    # Sync workers take one request each: at most two are half done now, while the ones
    # still queued (not counted by wrk) have cost nothing yet.
    ticks = sum(cpu_ticks(pid) - before[pid] for pid in workers)
    drain(run, workers)
    found["cpu_ms"] = ticks * 1000 / os.sysconf("SC_CLK_TCK") / max(1, found["requests"])
    return found


def warm(browsers, pages):
    """Each page a few times, so that both workers have built and kept it."""
    sizes = {}
    for name, (path, who) in pages.items():
        for _ in range(6):
            answer = browsers[who].request("GET", path)
            if answer.status_code != 200:
                raise Refused(f"{path} as {who}: {answer.status_code} from gunicorn")
        sizes[name] = len(answer.content)
    return sizes


def load(run, browsers, pages, counts):
    """Rounds over all pages (interleaved, so that a busy moment hits each page alike)."""
    sizes = warm(browsers, pages)
    results = {name: [] for name in pages}
    for _round in range(run.args.rounds):
        for name, (path, who) in pages.items():
            results[name].append(measure(run, path, browsers[who].cookie_header()))
    rows = [
        median_row(name, results[name], size=sizes[name], queries=counts[name]) for name in pages
    ]
    return add_ratios(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds per page (3); the median")
    parser.add_argument("--duration", type=int, default=3, help="seconds of wrk per round (3)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--patients", type=int, default=2000, help="patients (2000)")
    parser.add_argument(
        "--fresh",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure the patient pages built afresh, KEEP_PAGES=0 (default: yes)",
    )
    parser.add_argument(
        "--idle", type=float, default=0.8, help="idle share of the CPUs to wait for (0.8)"
    )
    parser.add_argument(
        "--idle-wait", type=float, default=60, help="seconds of waiting for idle in all (60)"
    )
    parser.add_argument("--port", type=int, default=8810, help="gunicorn's port (8810)")
    parser.add_argument("--timeout", type=int, default=900, help="give up after (900 s)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= 9 or not 1 <= args.duration <= 60:
        parser.error("--rounds 1–9, --duration 1–60 seconds")
    if not 16 <= args.patients <= 20_000:
        parser.error("--patients 16–20000")

    def give_up(signum, frame):
        raise OutOfTime(f"the benchmark took longer than {args.timeout} s")

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGALRM, give_up)
    signal.signal(signal.SIGTERM, interrupted)
    signal.alarm(args.timeout)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="bekkenbodem-bench-"))
    (tmp / MARKER).write_text("scripts/bench.py made this folder and removes it.\n")
    run = Run(args=args, tmp=tmp, port=args.port, idle_left=args.idle_wait)
    secret = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(50))
    run.env = environment(run, secret)
    error = None
    try:
        for tool in (WRK, GUNICORN):
            if not Path(tool).exists():
                raise Refused(f"needs {tool} (wrk: apt-get install wrk; gunicorn: make)")
        setup_django(run)
        sys.path.insert(0, str(ROOT / "scripts"))
        facts = prepare(run)
        benchmark(run, facts)
    except (Exception, KeyboardInterrupt, OutOfTime) as problem:  # reported after cleaning up
        error = problem
    finally:
        signal.alarm(0)
        stop_server(run)
        if args.keep:
            print(f"bench: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    for what, seconds in run.timings:
        print(f"  {what:<40} {seconds:5.1f} s")
    sections = run.sections
    if sections:
        print()
        print(format_table(sections))
        idle = min(run.idle_seen) if run.idle_seen else 0
        print(
            f"\n{os.cpu_count()} CPUs; gunicorn 2 sync workers, DEBUG off, SQLite; wrk -c"
            f"{args.connections}, {args.rounds} rounds of {args.duration} s, medians. "
            f"Least idle share before a round: {idle:.0%}. {time.monotonic() - started:.0f} s."
        )
    if error is not None:
        kind = "" if isinstance(error, Refused) else f"{type(error).__name__}: "
        print(f"\nbench: {kind}{error}", file=sys.stderr)
        return 2
    return 0


def benchmark(run, facts):
    patient_pages = {
        "home": ("/", "patient"),
        "course overview": (facts["course_url"], "patient"),
        "lesson": (facts["lesson_url"], "patient"),
        "/today/": ("/today/", "patient"),
        "dashboard": ("/dashboard/", "patient"),
        "diary": ("/diary/", "patient"),
    }
    staff_pages = {
        "therapist overview, 200": ("/therapist/", "therapist"),
        "therapist overview, 2,000": ("/therapist/", "owner"),
        "therapist patient page": (facts["patient_page_url"], "therapist"),
    }
    bare = {"bare view": ("/bench/bare/", "patient")}
    kept_pages = {**patient_pages, **staff_pages, **bare}
    fresh_pages = {name: page for name, page in kept_pages.items() if name in KEPT} | bare

    kept_counts = run.timed(
        "SQL queries (kept)", lambda: count_queries(facts, kept_pages, keep=True)
    )
    from django.test import Client

    client = Client()
    client.force_login(facts["users"]["patient"])
    lesson_bytes = len(client.get(facts["lesson_url"], secure=True).content)

    run.timed("gunicorn", lambda: start_server(run, keep=True, bare_bytes=lesson_bytes))
    browsers = {
        "patient": log_in(run.port, facts["emails"]["patient"], facts["password"]),
        "therapist": log_in(
            run.port, facts["emails"]["therapist"], facts["password"], facts["totp_secret"]
        ),
        "owner": log_in(
            run.port, facts["emails"]["owner"], facts["password"], facts["totp_secret"]
        ),
    }
    rows = run.timed("load (kept)", lambda: load(run, browsers, kept_pages, kept_counts))
    run.sections.append(("kept pages (KEEP_PAGES on: she saw the page before)", rows))
    print(format_table(run.sections), flush=True)  # kept, should a later part fail
    stop_server(run)
    if run.args.fresh:
        fresh_counts = run.timed(
            "SQL queries (fresh)", lambda: count_queries(facts, fresh_pages, keep=False)
        )
        run.timed("gunicorn", lambda: start_server(run, keep=False, bare_bytes=lesson_bytes))
        rows = run.timed("load (fresh)", lambda: load(run, browsers, fresh_pages, fresh_counts))
        run.sections.append(("built afresh (KEEP_PAGES off; fragments and content kept)", rows))
        stop_server(run)
    return run.sections


if __name__ == "__main__":
    sys.exit(main())
