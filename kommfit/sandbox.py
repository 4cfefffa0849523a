"""The grading sandbox: participant notebooks run in bubblewrap, not with the facilitator's rights.

nbgrader executes submitted notebooks as whoever runs the grading (nbgrader#483, #1386): a notebook could read other
participants' answers, the hidden tests in ``source/`` or the gradebook, phone home, or take the machine down. In a
kommfit sandbox a grading kernel sees

* the operating system, Python and the course package — read-only,
* one scratch folder ``/arbeit`` with a copy of the submission it is grading — the only writable place besides a
  private ``/tmp``,
* one folder for the Unix sockets it talks to the grader through (a new network namespace has no way out, not even
  to the host's loopback, so ZeroMQ runs over IPC sockets),

and nothing else: no course folder, gradebook, exchange or other submission. It has no network, its own PID, IPC and
UTS namespaces, no capabilities, runs as an unprivileged user where the grader is root, and has limits on CPU time,
memory, processes, open files and file size. Kernels are forked inside the sandbox by the fork server
(``forkkernel``), so the sandbox costs almost nothing per submission.

Pitfall handled: inside a PID namespace a kernel's parent can appear as PID 1, and ipykernel's parent poller then
exits at once. Kernels here are children of the fork server (never of PID 1), ``JPY_PARENT_PID`` is removed from
their environment, and they die with the server through ``PR_SET_PDEATHSIG`` instead.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
from dataclasses import asdict, dataclass
from pathlib import Path

SANDBOX_ENV = "KOMMFIT_SANDBOX"
WORK = "/arbeit"
PROFILE = "/kurs/kurs.toml"
FIRST_UID = 61000  # kernels of worker N run as uid FIRST_UID + N: process limits are per user, so a fork bomb in
# one sandbox can never use up the processes of another
TMP_SIZE = str(64 * 2**20)  # bytes of the private /tmp (RAM-backed, so it is capped)


class SandboxUnavailable(Exception):
    """bubblewrap cannot run here; the message says in German why and what to do."""


@dataclass(frozen=True)
class Limits:
    """Per-kernel resource limits (generous for a quiz notebook, fatal for a bomb)."""

    cpu_seconds: int = 300
    memory_headroom_bytes: int = 1536 * 2**20  # on top of what the preloaded fork server already maps
    processes: int = 64
    open_files: int = 256
    file_size_bytes: int = 50 * 2**20


@dataclass(frozen=True)
class SandboxSpec:
    """Where a worker's sandbox lives on the host."""

    scratch: str  # host folder bound as /arbeit
    sockets: str  # host folder bound at the same path: fork-server socket, connection files, ZeroMQ IPC sockets
    uid: int = FIRST_UID  # the unprivileged user kernels run as, where the grader is root
    profile: str = ""  # the cohort's company profile, shown read-only as PROFILE (feedback names the company)
    limits: Limits = Limits()

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> SandboxSpec | None:
        raw = os.environ.get(SANDBOX_ENV)
        if not raw:
            return None
        data = json.loads(raw)
        return cls(data["scratch"], data["sockets"], data["uid"], data["profile"], Limits(**data["limits"]))


def unavailable_reason() -> str | None:
    """None if bubblewrap can build a sandbox here, else a German explanation."""
    if not sys.platform.startswith("linux"):
        return "Die Sandbox (bubblewrap) gibt es nur unter Linux."
    if shutil.which("bwrap") is None:
        return "bubblewrap ist nicht installiert (Debian/Ubuntu: apt-get install bubblewrap)."
    probe = subprocess.run(
        ["bwrap", "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"],
        capture_output=True, text=True, timeout=30,
    )
    if probe.returncode != 0:
        detail = probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else f"Code {probe.returncode}"
        return f"bubblewrap kann hier keine Sandbox anlegen ({detail}). Oft fehlen Benutzer-Namensräume."
    return None


def _read_only_roots() -> list[str]:
    """System and Python folders the kernel needs; everything else stays invisible."""
    roots = {"/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", sys.base_prefix, sys.prefix}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(sysconfig.get_paths()[key])
    package = Path(__file__).resolve().parent  # an editable install lives in the repository: bind only the package
    roots.add(str(package))
    existing = sorted(r for r in roots if r and os.path.exists(r))
    # drop paths already covered by a parent in the list
    return [r for r in existing if not any(r != other and r.startswith(other.rstrip("/") + "/") for other in existing)]


def wrap(command: list[str], spec: SandboxSpec) -> list[str]:
    """``command`` run inside bubblewrap with the views and namespaces described in the module docstring."""
    args = ["bwrap"]
    roots = _read_only_roots()
    # bubblewrap would create the parents of bind mounts as 0700; the unprivileged kernel must be able to pass
    parents = sorted({str(p) for path in [*roots, spec.sockets, PROFILE] for p in Path(path).parents
                      if str(p) != "/"}, key=lambda p: p.count("/"))
    args += ["--perms", "01777", "--size", TMP_SIZE, "--tmpfs", "/tmp"]
    for parent in parents:
        if parent != "/tmp":
            args += ["--perms", "0755", "--dir", parent]
    for root in roots:
        args += ["--ro-bind", root, root]
    args += [
        "--dev", "/dev", "--proc", "/proc",
        "--bind", spec.scratch, WORK,
        *(["--ro-bind", spec.profile, PROFILE] if spec.profile else []),
        "--bind", spec.sockets, spec.sockets,
        "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session",
        "--chdir", WORK,
        "--setenv", "HOME", "/tmp", "--setenv", "MPLCONFIGDIR", "/tmp", "--setenv", "IPYTHONDIR", "/tmp/.ipython",
        "--setenv", SANDBOX_ENV, spec.to_env(),
    ]
    if os.geteuid() == 0:
        # root outside: no user namespace (it would map only uid 0), but only the capabilities the fork server
        # needs to hand each kernel to an unprivileged user
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                 "--cap-add", "CAP_CHOWN", "--cap-add", "CAP_KILL"]
    else:
        args += ["--unshare-user"]  # unprivileged bubblewrap needs a user namespace
    return args + command


def prepare_folders(spec: SandboxSpec) -> None:
    """Scratch and socket folders writable for the unprivileged kernel user."""
    for folder in (spec.scratch, spec.sockets):
        Path(folder).mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o1777)


def refill_scratch(spec: SandboxSpec, submission: Path) -> None:
    """Empty /arbeit and copy one submission into it. Symlinks are copied as links, never followed: inside the
    sandbox they point nowhere."""
    scratch = Path(spec.scratch)
    for entry in scratch.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in submission.iterdir():
        target = scratch / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry), target)
        elif entry.is_dir():
            shutil.copytree(entry, target, symlinks=True)
        else:
            shutil.copy2(entry, target)
    for path in [scratch, *scratch.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, 0o777 if path.is_dir() else 0o666)


def confine_kernel(spec: SandboxSpec, connection_file: str) -> None:
    """In the forked kernel, before it starts: set limits and, where we are root, become an unprivileged user."""
    limits = spec.limits
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with an error instead of killing
    current = _mapped_bytes()
    resource.setrlimit(resource.RLIMIT_AS, (current + limits.memory_headroom_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_bytes, limits.file_size_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.geteuid() == 0:
        os.chown(connection_file, spec.uid, spec.uid)
        os.setgroups([])
        os.setgid(spec.uid)
        os.setuid(spec.uid)  # drops every capability; RLIMIT_NPROC only binds unprivileged users
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    else:
        running = _own_process_count()
        resource.setrlimit(resource.RLIMIT_NPROC, (running + limits.processes,) * 2)


def _mapped_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _own_process_count() -> int:
    uid = os.getuid()
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def reap_others() -> int:
    """Inside the sandbox's PID namespace: kill every process except init and ourselves (leftovers of the last
    kernel must never see the next submission)."""
    me = os.getpid()
    killed = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) not in (1, me):
            try:
                os.kill(int(entry.name), 9)
                killed += 1
            except OSError:
                pass
    return killed
