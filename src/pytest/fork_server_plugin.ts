/**
 * The Python side of the pytest fork server, as text written to a temp dir.
 *
 * Loaded with `-p sentries_fork_server` into a pytest run of an empty folder:
 * that run imports pytest and every plugin and configures them once (with
 * auto-loaded plugins such as hypothesis that costs most of a pytest start).
 * When the run ends, the interpreter's exit handler serves requests: each one
 * forks a child that runs `pytest.main(args)` in the requested folder, so every
 * run still starts from a clean process but skips the start-up cost.
 *
 * Two things make every child cheaper still. The server's objects are frozen
 * (`gc.freeze()`, meant for forking servers) once pytest is configured and again
 * before each fork, so the garbage collections pytest runs at the end of a
 * session (the server's own one included) skip them. And while the first
 * child runs, the server rehearses once: a small session of the shape a re-run
 * has (an ini file, a failing assertion's traceback, a JUnit report) in a folder
 * of its own, so what pytest does lazily the first time (reading the ini with
 * tomllib, mapping files to modules for a traceback, compiling the report's
 * patterns) is done once in the server instead of again in each later child.
 */
export const FORK_SERVER_MODULE = "sentries_fork_server";

export const FORK_SERVER_READY = "@@sentries-fork-ready@@";
export const FORK_SERVER_DONE = "@@sentries-fork-done@@";

export const FORK_SERVER_SOURCE = `"""Sentries pytest fork server (see src/pytest/fork_server_plugin.ts)."""
import atexit
import gc
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
import traceback

_READY = ${JSON.stringify(FORK_SERVER_READY)}
_DONE = ${JSON.stringify(FORK_SERVER_DONE)}
_child = 0


def pytest_configure(config):
    if os.environ.pop("SENTRIES_FORK_SERVER", None) == "1":
        # pytest and its plugins are imported and registered by now: the collections at the end of this
        # session (pytest runs gc.collect() there) need not walk them.
        gc.freeze()
        atexit.register(_serve)


def _on_term(signum, frame):
    if _child:
        try:
            os.kill(_child, signal.SIGKILL)
        except OSError:
            pass
    os._exit(143)


def _restore_environment(cwd, start_cwd, plugin_dir):
    original = os.environ.pop("SENTRIES_FORK_ORIGINAL_PYTHONPATH", "")
    if original:
        os.environ["PYTHONPATH"] = original
    else:
        os.environ.pop("PYTHONPATH", None)
    os.environ["PWD"] = cwd
    sys.path[:] = [p for p in sys.path if p != plugin_dir]
    # Python made relative PYTHONPATH entries absolute against the server's own (empty) folder at
    # start-up: point them where a pytest started in the requested folder has them.
    moved = {}
    for entry in original.split(os.pathsep):
        if entry and not os.path.isabs(entry):
            moved[os.path.abspath(os.path.join(start_cwd, entry))] = os.path.abspath(os.path.join(cwd, entry))
    sys.path[:] = [moved.get(p, p) for p in sys.path]
    # \`python -m pytest\` puts its starting folder first on sys.path: that is the requested folder now.
    if sys.path and sys.path[0] == start_cwd:
        sys.path[0] = cwd
    sys.path_importer_cache.clear()


def _child_main(request, start_cwd, plugin_dir):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.chdir(request["cwd"])
    _restore_environment(request["cwd"], start_cwd, plugin_dir)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(request["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out, 1)
    os.dup2(err, 2)
    import pytest

    code = pytest.main(request["args"])
    sys.stdout.flush()
    sys.stderr.flush()
    return int(code)


_REHEARSAL_TESTS = """
import pytest


@pytest.fixture
def value():
    return "No. 7"


def test_passes(value):
    assert value.startswith("No.")


def test_fails(value):
    assert value == "#7"
"""


def _rehearse():
    """Runs the rehearsal session (see the module's doc); nothing of it stays in the server but warm caches."""
    import pytest

    folder = tempfile.mkdtemp(prefix="sentries-rehearsal-")
    path, modules = list(sys.path), set(sys.modules)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        with open(os.path.join(folder, "pyproject.toml"), "w") as ini:
            ini.write("[tool.pytest.ini_options]\\n")
        with open(os.path.join(folder, "test_sentries_rehearsal.py"), "w") as tests:
            tests.write(_REHEARSAL_TESTS)
        os.dup2(null, 1)
        os.dup2(null, 2)
        pytest.main([
            "-p", "no:cacheprovider", "-q", "--color=no", "--junitxml=" + os.path.join(folder, "report.xml"),
            "-o", "junit_family=xunit1", "--rootdir=" + folder, folder,
        ])
    except BaseException:
        pass
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)
        sys.path[:] = path
        inside = os.path.realpath(folder) + os.sep
        for name in set(sys.modules) - modules:
            file = getattr(sys.modules[name], "__file__", None)
            if file and os.path.realpath(file).startswith(inside):
                del sys.modules[name]
        shutil.rmtree(folder, ignore_errors=True)


def _serve():
    global _child
    start_cwd = os.getcwd()
    plugin_dir = os.path.dirname(os.path.abspath(__file__))
    replies = os.fdopen(os.dup(1), "w")
    signal.signal(signal.SIGTERM, _on_term)
    import pytest

    # Which Python and pytest serve the runs, for the report (the same facts \`doctor\` asks a Python for).
    facts = {
        "python": sys.executable,
        "pythonVersion": platform.python_version(),
        "pytestVersion": pytest.__version__,
    }
    replies.write(_READY + " " + json.dumps(facts) + "\\n")
    replies.flush()
    rehearsed = False
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        started = time.perf_counter()
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                code = _child_main(request, start_cwd, plugin_dir)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        _child = pid
        if not rehearsed:
            rehearsed = True
            _rehearse()
        _, status = os.waitpid(pid, 0)
        _child = 0
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
        ms = round((time.perf_counter() - started) * 1000)
        replies.write(_DONE + " " + json.dumps({"code": code, "ms": ms}) + "\\n")
        replies.flush()
    # stdin closed: the run is over. The server's own pytest session ended long ago and every child has been
    # waited for, so there is nothing left to tear down: skip the interpreter's slow exit (every module of
    # pytest and its plugins), which the run would otherwise wait for.
    os._exit(0)
`;
