"""Start grading kernels by forking a process that has already imported what module notebooks need.

Where the time goes when nbgrader grades a kommfit submission: starting a fresh Python, importing ipykernel, IPython,
ipywidgets and the course package takes far longer than running the notebook's few cells. A *fork server* pays those
imports once per grading worker; every kernel is then a ``fork()`` of it, ready in milliseconds. The forked child
becomes an ordinary ipykernel (``IPKernelApp``) with nbgrader's connection file, working folder and environment, so
nbgrader executes exactly the same code as with a freshly started kernel — only the launch differs.

Plumbing, all standard jupyter_client: ``ForkProvisioner`` is a kernel provisioner (entry point ``kommfit-fork``),
selected in a grading worker with ``JUPYTER_DEFAULT_PROVISIONER_NAME=kommfit-fork`` and ``KOMMFIT_FORK_SOCKET`` naming
the server's Unix socket. Without the socket it behaves like jupyter_client's ``LocalProvisioner``.

Lifetimes: the server dies with its worker and every kernel dies with the server (``PR_SET_PDEATHSIG``), so killing
a stuck worker leaves no kernel behind. The server ignores SIGCHLD, so finished kernels are reaped automatically.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import importlib
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.utils import ensure_async

from .sandbox import (
    SANDBOX_ENV,
    SERVER,
    SOCKETS,
    WORK,
    SandboxError,
    SandboxSpec,
    become_pid_one,
    clear_leftovers,
    clear_sockets,
    confine_kernel,
    enter_submission_sandbox,
    refill_staging,
    sandbox_environment,
    start_sandbox,
)

SOCKET_ENV = "KOMMFIT_FORK_SOCKET"
SANDBOX_ROOT_ENV = "KOMMFIT_SANDBOX_ROOT"  # the worker's sandbox as the host sees it (/proc/<pid>/root)
SANDBOX_FAILED = "Die Sandbox für diese Abgabe konnte nicht eingerichtet werden"
PROVISIONER_NAME = "kommfit-fork"
OUTPUT_LIMIT = 2**20  # characters per output stream and cell (see cap_output)
PR_SET_PDEATHSIG = 1
# What module notebooks import; anything missing is simply not preloaded.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # IPKernelApp.initialize would import debugpy and pydevd for every kernel
    "pdb",
    "sqlite3",
    "psutil",
    "tornado.queues",
    "tornado.locks",
    "xmlrpc.server",
    "http.server",
    "IPython.extensions",
    "IPython.core.interactiveshell",
    "ipywidgets",
    "anywidget",
    "kommfit.quiz.kinds",
    "kommfit.grading.checks",
    "kommfit.quiz.display",
    "kommfit.activities.reach",
    "kommfit.activities.channelmap",
    "kommfit.activities.wegweiser",
    "kommfit.activities.visibility",
    "kommfit.activities.postcheck",
    "kommfit.activities.scenario",
    "kommfit.activities.crmnote",
    "kommfit.activities.talent",
)  # no pandas/matplotlib: the explorers draw SVG in plain Python (activities/svgchart.py), no module needs them


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (no-op elsewhere)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


# ------------------------------------------------------------------------------------------------------- fork server
def serve(socket_path: str, sandboxed: bool = False) -> None:
    """Preload, then answer requests (fork a kernel, poll or signal one) until the worker goes away.

    Kernels are the server's children, so every poll and signal goes through it — inside a sandbox's PID namespace
    the grader could not address them by process id itself.
    """
    die_with_parent()
    spec = SandboxSpec.from_env() if sandboxed else None
    for name in PRELOAD:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system, never become zombies
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(socket_path)
    server.bind(socket_path)
    os.chmod(socket_path, 0o600)
    server.listen(16)
    while True:
        connection, _ = server.accept()
        with connection:
            try:
                request = json.loads(_read_line(connection))
            except ValueError:
                continue
            if "fork" in request:
                reply = _fork_kernel(request["fork"], spec, server, connection)
            else:
                reply = _answer(request, spec is not None)
            connection.sendall(json.dumps(reply).encode() + b"\n")


def _fork_kernel(request: dict[str, Any], spec: SandboxSpec | None, server: socket.socket,
                 connection: socket.socket) -> dict[str, Any]:
    """Fork a kernel; in the sandbox only once nothing of the previous submission runs any more."""
    if spec is not None:
        try:
            clear_leftovers()
            clear_sockets(keep=Path(request["argv"][1]).name)
        except (SandboxError, OSError) as error:
            return {"error": str(error)}
    pid = os.fork()
    if pid == 0:
        server.close()
        connection.close()
        _become_kernel(request, spec)
    return {"pid": pid}


def _answer(request: dict[str, Any], sandboxed: bool) -> dict[str, Any]:
    if "poll" in request:
        try:
            os.kill(request["poll"], 0)
            return {"alive": True}
        except ProcessLookupError:
            return {"alive": False}
    if "signal" in request:
        pid, signum = request["signal"]
        try:
            os.killpg(pid, signum)  # the kernel leads its own process group: its subprocesses get it too
        except OSError:
            with contextlib.suppress(OSError):
                os.kill(pid, signum)
        if signum == signal.SIGKILL:  # answer once it is gone, so the caller need not poll (and sleep) for it
            if sandboxed:
                with contextlib.suppress(SandboxError):
                    clear_leftovers()  # the kernel, and everything it started, in any session
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.001)
        return {"ok": True}
    return {"pong": True}


def _read_line(connection: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _become_kernel(request: dict[str, Any], spec: SandboxSpec | None) -> None:
    """In the forked child: turn into an ipykernel for nbgrader's connection file. Never returns.

    In the sandbox this child first builds the submission's own sandbox and forks once more: the kernel becomes
    PID 1 of a new PID namespace, and this process only waits for it (so the fork server can poll and signal it).
    """
    code = 1
    # kernel chatter goes nowhere, unless KOMMFIT_FORK_LOG names a file for debugging
    log = os.open(request["env"].get("KOMMFIT_FORK_LOG", os.devnull), os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o666)
    for fd in (0, 1, 2):
        os.dup2(log, fd)
    try:
        os.setsid()  # own process group: interrupts and kills reach the kernel and its subprocesses
        die_with_parent()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses must be waitable
        if spec is not None:
            enter_submission_sandbox(spec)
            kernel = os.fork()
            if kernel:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts are for the kernel
                signal.signal(signal.SIGTERM, lambda *_: os.kill(kernel, signal.SIGKILL))
                _, status = os.waitpid(kernel, 0)
                code = os.waitstatus_to_exitcode(status) & 0xFF
                return
            die_with_parent()
            become_pid_one()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        connection_file = request["argv"][request["argv"].index("-f") + 1]
        if spec is not None:
            confine_kernel(spec, connection_file)
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(sys.argv[1:])
        cap_output(app.kernel.shell)
        end_forked_copies(app.kernel.shell)
        app.start()
        code = 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def cap_output(shell: Any, limit: int = OUTPUT_LIMIT) -> None:
    """Pass on at most ``limit`` characters per stream and cell; drop the rest with one German note.

    A cell that prints 100 MB would keep the output channel busy for longer than nbgrader waits for it, depending
    on how busy the machine is — the same submission would pass on one run and fail on the next. The grade cells'
    short feedback always fits.
    """
    used: dict[str, int] = {}
    shell.events.register("pre_run_cell", lambda *_: used.clear())
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        original = stream.write

        def write(text: str, original: Any = original, name: str = name) -> int:
            before = used.get(name, 0)
            used[name] = before + len(text)
            if before >= limit:
                return len(text)
            if before + len(text) <= limit:
                return original(text)
            original(text[: limit - before])
            original(f"\n[… Ausgabe gekürzt: mehr als {limit // 2**20} MB in einer Zelle]\n")
            return len(text)

        stream.write = write


def end_forked_copies(shell: Any) -> None:
    """A copy of the kernel made by ``os.fork()`` in a cell ends when that cell ends in it.

    Otherwise every copy (a fork bomb makes dozens) would go on as a kernel on the same sockets: send replies, take
    the next cell's request — and the result would depend on which copy the machine happened to run first. The hook
    runs before the copy could answer; a child that only execs (subprocess) never gets here.
    """
    kernel_pid = os.getpid()

    def end_if_copy(*_: Any) -> None:
        if os.getpid() != kernel_pid:
            os._exit(0)

    shell.events.register("post_run_cell", end_if_copy)


def start_server(folder: Path, sandbox: SandboxSpec | None = None) -> tuple[Any, str]:
    """Start a fork server for this process (inside bubblewrap if ``sandbox``); returns (Popen, socket path)."""
    import subprocess

    if sandbox is not None:
        command = [sys.executable, "-m", "kommfit.engine.forkkernel", f"{SERVER}/fork.sock", "--sandbox"]
        process, root = start_sandbox(command, sandbox)
        socket_path = f"{root}{SERVER}/fork.sock"
    else:
        socket_path = str(folder / f"fork-{os.getpid()}.sock")
        command = [sys.executable, "-m", "kommfit.engine.forkkernel", socket_path]
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", OMP_NUM_THREADS="1")
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the kernel fork server exited during start-up")
        try:
            if "pong" in ask(socket_path, {"ping": True}):
                return process, socket_path
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the kernel fork server did not start within 120 seconds")


def ask(socket_path: str, request: dict[str, Any]) -> dict[str, Any]:
    """One request to the fork server, one answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(socket_path)
        client.sendall(json.dumps(request).encode() + b"\n")
        return json.loads(_read_line(client))


# ------------------------------------------------------------------------------------------------------ provisioner
class ForkedProcess:
    """Just enough of ``subprocess.Popen`` for LocalProvisioner, for a kernel that is the fork server's child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, socket_path: str) -> None:
        self.pid = pid
        self.socket_path = socket_path
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                alive = ask(self.socket_path, {"poll": self.pid})["alive"]
            except OSError:
                alive = False  # the server is gone, and its kernels died with it
            if not alive:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"kernel {self.pid} still running")
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(OSError):
            ask(self.socket_path, {"signal": [self.pid, int(signum)]})

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkProvisioner(LocalProvisioner):
    """A LocalProvisioner that asks the fork server for the kernel process instead of starting a new Python."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        socket_path = os.environ.get(SOCKET_ENV)
        if not socket_path or "-f" not in cmd:
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        # everything after "-m ipykernel_launcher": the connection file and nbclient's extra arguments
        argv = cmd[cmd.index("-f"):]
        sandbox = SandboxSpec.from_env()
        if sandbox is not None:
            refill_staging(sandbox, Path(cwd))
            cwd = WORK
            # Only what a kernel needs: the grader's environment may hold tokens or database passwords.
            # (JPY_PARENT_PID stays out too: its parent poller would misread the PID namespace.)
            env = sandbox_environment(sandbox, env)
            del env[SANDBOX_ENV]
            # the kernel binds its sockets inside the sandbox; the grader reaches the same files through /proc
            info = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
            info["ip"] = f"{SOCKETS}/k"
            name = Path(argv[1]).name
            inside = Path(os.environ[SANDBOX_ROOT_ENV] + SOCKETS) / name
            inside.write_text(json.dumps(info), encoding="utf-8")
            argv[1] = f"{SOCKETS}/{name}"
        request = {
            "argv": argv,
            "cwd": cwd,
            "env": env,
            "sent": time.monotonic(),
        }
        reply = await asyncio.get_running_loop().run_in_executor(None, ask, socket_path, {"fork": request})
        if "error" in reply:
            raise RuntimeError(f"{SANDBOX_FAILED} ({reply['error']})")
        pid = int(reply["pid"])
        self.process = ForkedProcess(pid, socket_path)
        self.pid = pid
        self.pgid = None  # signals go through the server (see ForkedProcess)
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        if isinstance(self.process, ForkedProcess):
            self.process.send_signal(signum)
            return
        await super().send_signal(signum)


class FastKernelClient(AsyncKernelClient):
    """jupyter_client's kernel client, without the fixed 0.2 s of IOPub silence it waits for after every start.

    That wait only drops the start-up status messages of the kernel_info request; nbclient ignores messages whose
    parent is not the cell it runs, so a short drain is enough. Per submission this saves a fifth of a second.
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.time() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:
                    await ensure_async(self.iopub_channel.get_msg(timeout=0.2))  # IOPub is connected
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:
            try:
                await ensure_async(self.iopub_channel.get_msg(timeout=0.01))
            except Empty:
                break

    wait_for_ready = _async_wait_for_ready  # AsyncKernelClient binds the public name to the base implementation


if __name__ == "__main__":
    serve(sys.argv[1], sandboxed="--sandbox" in sys.argv[2:])
