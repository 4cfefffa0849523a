"""Start grading kernels by forking a process that has already imported what module notebooks need.

Where the time goes when nbgrader grades a kommfit submission: starting a fresh Python, importing ipykernel, IPython,
ipywidgets and the course package (and pandas/matplotlib for some modules) takes far longer than running the
notebook's few cells. A *fork server* pays those imports once per grading worker; every kernel is then a ``fork()`` of
it, ready in milliseconds. The forked child becomes an ordinary ipykernel (``IPKernelApp``) with nbgrader's
connection file, working folder and environment, so nbgrader executes exactly the same code as with a freshly started
kernel — only the launch differs.

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
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

SOCKET_ENV = "KOMMFIT_FORK_SOCKET"
PROVISIONER_NAME = "kommfit-fork"
PR_SET_PDEATHSIG = 1
# What module notebooks import; anything missing is simply not preloaded.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.core.interactiveshell",
    "ipywidgets",
    "anywidget",
    "kommfit.quiz",
    "kommfit.grading",
    "kommfit.display",
    "kommfit.reach",
    "kommfit.channelmap",
    "kommfit.wegweiser",
    "kommfit.visibility",
    "kommfit.postcheck",
    "kommfit.scenario",
    "kommfit.crmnote",
    "kommfit.talent",
    "pandas",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib_inline.backend_inline",
)


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (no-op elsewhere)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


# ------------------------------------------------------------------------------------------------------- fork server
def serve(socket_path: str) -> None:
    """Preload, then fork one kernel per request until the parent (the grading worker) goes away."""
    die_with_parent()
    for name in PRELOAD:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system, never become zombies
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(socket_path)
    server.bind(socket_path)
    server.listen(16)
    while True:
        connection, _ = server.accept()
        with connection:
            try:
                request = json.loads(_read_line(connection))
            except ValueError:
                continue
            if request.get("ping"):
                connection.sendall(b'{"pong": true}\n')
                continue
            pid = os.fork()
            if pid == 0:
                server.close()
                connection.close()
                _become_kernel(request)
            connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _read_line(connection: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _become_kernel(request: dict[str, Any]) -> None:
    """In the forked child: turn into an ipykernel for nbgrader's connection file. Never returns."""
    code = 1
    try:
        os.setsid()  # own process group: interrupts and kills reach the kernel and its subprocesses
        die_with_parent()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses must be waitable
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(sys.argv[1:])
        if os.environ.get("KOMMFIT_FORK_TIMING"):
            Path(os.environ["KOMMFIT_FORK_TIMING"]).write_text(f"{time.monotonic() - request['sent']:.3f}")
        app.start()
        code = 0
    finally:
        os._exit(code)


def start_server(folder: Path) -> tuple[Any, str]:
    """Start a fork server for this process; returns (Popen, socket path) once it accepts connections."""
    import subprocess

    socket_path = str(folder / f"fork-{os.getpid()}.sock")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", OMP_NUM_THREADS="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "kommfit.forkkernel", socket_path],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the kernel fork server exited during start-up")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.connect(socket_path)
                probe.sendall(b'{"ping": true}\n')
                if b"pong" in _read_line(probe):
                    return process, socket_path
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the kernel fork server did not start within 120 seconds")


# ------------------------------------------------------------------------------------------------------ provisioner
class ForkedProcess:
    """Just enough of ``subprocess.Popen`` for LocalProvisioner, for a kernel that is the fork server's child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"kernel {self.pid} still running")
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

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
        request = {
            # everything after "-m ipykernel_launcher": the connection file and nbclient's extra arguments
            "argv": cmd[cmd.index("-f"):],
            "cwd": str(kwargs.get("cwd") or os.getcwd()),
            "env": dict(kwargs.get("env") or os.environ),
            "sent": time.monotonic(),
        }
        pid = await asyncio.get_running_loop().run_in_executor(None, _request_fork, socket_path, request)
        self.process = ForkedProcess(pid)
        self.pid = pid
        self.pgid = pid  # the child called setsid()
        return self.connection_info


def _request_fork(socket_path: str, request: dict[str, Any]) -> int:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(socket_path)
        client.sendall(json.dumps(request).encode() + b"\n")
        return int(json.loads(_read_line(client))["pid"])


if __name__ == "__main__":
    serve(sys.argv[1])
