"""The grading sandbox: participant notebooks run in bubblewrap, one fresh sandbox per submission.

nbgrader executes submitted notebooks as whoever runs the grading (nbgrader#483, #1386): a notebook could read other
participants' answers, the hidden tests in ``source/`` or the gradebook, phone home, or take the machine down — and,
just as bad for fairness, leave something behind (a startup file, a process) that changes the next person's result.

Two layers:

* **The worker's sandbox** (``wrap``, one bubblewrap per grading worker, started once): the operating system, Python
  and the course package read-only, no network, its own PID/IPC/UTS namespaces, a minimal environment without any of
  the grader's variables (``--clearenv``), a root that is read-only. The fork server (``forkkernel``) lives here; it
  has imported what module notebooks need, so a kernel costs a ``fork()``, not a Python start.
* **The submission's sandbox** (``enter_submission_sandbox``, for every kernel): the fork server's child unshares
  a new mount, PID and IPC namespace and mounts fresh, size-limited tmpfs over ``/tmp`` (also HOME and the IPython
  dir) and ``/arbeit`` (a copy of the submission); ``/proc`` shows only the submission's own processes. The kernel is
  PID 1 of that namespace: when it ends, Linux kills every process it started, double-forked or not, and the fork
  server checks that nothing is left before it starts the next kernel. The kernel then becomes a user of its own
  and gives up every capability.

Nothing the kernel can write is on the host's disk: ``/tmp``, ``/arbeit`` and the socket folder ``/s`` are tmpfs
inside the sandbox with a fixed size. The grader reaches the sockets through ``/proc/<sandbox>/root/s`` (a new
network namespace has no way out, not even to the host's loopback, so ZeroMQ runs over IPC sockets).

Kernels of worker N run as uid ``FIRST_UID + N``, a user that owns nothing. Under root that is a real host uid,
reserved for as long as the worker runs (``reserve_kernel_uid``: a second grading at the same time takes others). A
grader that is not root starts bubblewrap through ``unshare --map-root-user --map-auto`` (``own_users_prefix``):
bubblewrap is then root of a user namespace whose other ids are the grader's subordinate ids, so the kernel's uid is
one of those on the host, never the grader's. Only where the account has no subordinate ids does bubblewrap map
the grader's own id alone; the kernels then run as the grader on the host (still seeing no file of the grader, no
process, no network, without capabilities), and ``kommfit grade`` says so. Every kernel may start threads but no
process (``forbid_new_processes``).

Pitfall handled: inside a PID namespace a kernel's parent can appear as PID 1, and ipykernel's parent poller then
exits at once. ``JPY_PARENT_PID`` is removed from kernel environments; kernels die with their parent through
``PR_SET_PDEATHSIG`` instead.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from dataclasses import asdict, dataclass
from pathlib import Path

SANDBOX_ENV = "KOMMFIT_SANDBOX"
WORK = "/arbeit"  # the kernel's working folder: a fresh tmpfs per submission
SUBMISSION = "/abgabe"  # read-only view of the host's copy of the submission being graded
SOCKETS = "/s"  # tmpfs for the kernel's connection file and ZeroMQ sockets (the grader sees it via /proc)
SERVER = "/ks"  # the fork server's own socket; covered up in every kernel's view
PROFILE = "/kurs/kurs.toml"
FIRST_UID = 61000  # kernels of worker N run as uid FIRST_UID + N where the grader is root: process limits are per
# user, so a fork bomb in one sandbox can never use up the processes of another
# The only variables that reach the sandbox: none of them can hold a secret of the grader.
SAFE_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "KOMMFIT_PROFIL", "KOMMFIT_FORK_LOG",
            "PYTHONPATH", "PYTHONHASHSEED", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
            "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "JPY_SESSION_NAME")

CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWIPC, CLONE_THREAD = 0x00020000, 0x20000000, 0x08000000, 0x00010000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
# mount flags that statvfs reports with the same bit as mount(2) takes them (ro, nosuid, nodev, noexec, *atime)
KEPT_MOUNT_FLAGS = 1 | 2 | 4 | 8 | 1024 | 2048 | 4096
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 38, 24, 47, 4
LINUX_CAPABILITY_VERSION_3 = 0x20080522


class SandboxUnavailable(Exception):
    """bubblewrap cannot run here; the message says in German why and what to do."""


class SandboxError(Exception):
    """A submission's sandbox could not be set up (the submission fails; the next one gets a fresh try)."""


@dataclass(frozen=True)
class Limits:
    """Per-submission resource limits (generous for a quiz notebook, fatal for a bomb)."""

    cpu_seconds: int = 300
    memory_headroom_bytes: int = 1536 * 2**20  # on top of what the preloaded fork server already maps
    processes: int = 64
    open_files: int = 256
    file_size_bytes: int = 50 * 2**20
    work_bytes: int = 128 * 2**20  # /arbeit: the copy of the submission and whatever the notebook writes there
    tmp_bytes: int = 64 * 2**20  # /tmp, which is also HOME, IPYTHONDIR and MPLCONFIGDIR
    socket_bytes: int = 4 * 2**20
    inodes: int = 20000  # per tmpfs: a million empty files fill no bytes, but cost memory


@dataclass(frozen=True)
class SandboxSpec:
    """Where a worker's sandbox gets its input on the host, and as whom its kernels run."""

    staging: str  # host folder with the submission being graded, seen read-only as SUBMISSION
    uid: int = FIRST_UID  # the user kernels run as, where the grader is root
    profile: str = ""  # a private copy of the cohort's company profile, seen read-only as PROFILE
    limits: Limits = Limits()

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> SandboxSpec | None:
        raw = os.environ.get(SANDBOX_ENV)
        if not raw:
            return None
        data = json.loads(raw)
        return cls(data["staging"], data["uid"], data["profile"], Limits(**data["limits"]))


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


@functools.cache
def own_users_prefix(highest_uid: int) -> tuple[str, ...]:
    """Where the grader is not root: the ``unshare`` command that makes bubblewrap root of a user namespace whose ids
    1, 2, … are the grader's subordinate ids on the host (``/etc/subuid``; ``useradd`` assigns them, Debian's
    ``uidmap`` brings ``newuidmap``). Kernels then become a user of their own, exactly as under root: uid
    ``FIRST_UID + worker`` inside, an id of the grader's subordinate range outside — never the grader's own.

    Empty where that is not possible (no range, no ``newuidmap``, or a range too small for ``highest_uid``); then
    bubblewrap maps only the grader's own id, and ``separate_user_note`` says so.
    """
    if os.geteuid() == 0 or not (shutil.which("unshare") and shutil.which("newuidmap") and shutil.which("newgidmap")):
        return ()
    command = ("unshare", "--user", "--map-root-user", "--map-auto", "--")
    probe = subprocess.run([*command, "cat", "/proc/self/uid_map", "/proc/self/gid_map"], capture_output=True,
                           text=True, timeout=30, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    if probe.returncode != 0:
        return ()
    ranges = [tuple(map(int, line.split())) for line in probe.stdout.splitlines() if len(line.split()) == 3]
    covered = [first <= highest_uid < first + count for first, _outer, count in ranges if first > 0]
    return command if len(covered) == 2 and all(covered) else ()


KERNEL_ID_LOCKS = "/run/kommfit-kernel-ids"  # root only: which kernel uids running workers hold
KERNEL_ID_COUNT = 4096
_held_kernel_ids: list[int] = []  # lock files held for this process's lifetime


def reserve_kernel_uid(preferred: int) -> int:
    """The uid this worker's kernels run as: ``preferred`` (``FIRST_UID + worker``) unless a worker of another
    ``kommfit grade`` on this machine holds it, then the next free one. Held until this process ends.

    Why: under root the kernels' uids are real host uids, and the process limit counts every thread of a uid on
    the whole machine. Two gradings at once (two cohorts, or a facilitator and a test) both used 61000: a thread
    bomb in one could stop threads in the other's kernels, so a score depended on what else ran. Without root
    every worker has a user namespace of its own, where the count is per namespace, so nothing is reserved.
    """
    if os.geteuid() != 0:
        return preferred
    os.makedirs(KERNEL_ID_LOCKS, mode=0o700, exist_ok=True)
    folder = os.stat(KERNEL_ID_LOCKS)
    if folder.st_uid != 0 or folder.st_mode & 0o077:
        raise SandboxUnavailable(f"{KERNEL_ID_LOCKS} gehört nicht root allein; bitte löschen und neu bewerten.")
    candidates = [preferred, *(uid for uid in range(FIRST_UID, FIRST_UID + KERNEL_ID_COUNT) if uid != preferred)]
    for uid in candidates:
        handle = os.open(f"{KERNEL_ID_LOCKS}/{uid}", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            continue
        _held_kernel_ids.append(handle)
        return uid
    raise SandboxUnavailable(f"Alle {KERNEL_ID_COUNT} Benutzer-IDs für Kernel sind von laufenden Bewertungen belegt.")


def separate_user_note(workers: int) -> str | None:
    """None if kernels run as a user of their own here; else a German note for the facilitator."""
    if os.geteuid() == 0 or own_users_prefix(FIRST_UID + workers - 1):
        return None
    return ("Hinweis: Die Notizbücher laufen unter Ihrer eigenen Benutzer-ID (in der Sandbox, ohne Ihre Dateien zu "
            "sehen). Für eine eigene Benutzer-ID je Bewerter braucht Ihr Konto untergeordnete IDs in /etc/subuid und "
            "/etc/subgid (usermod --add-subuids 100000-165535 --add-subgids 100000-165535 KONTO) und das Paket "
            "uidmap – oder Sie bewerten als root.")


def _read_only_roots() -> list[str]:
    """System and Python folders the kernel needs; everything else stays invisible."""
    roots = {"/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", sys.base_prefix, sys.prefix}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(sysconfig.get_paths()[key])
    # an editable install lives in the repository: bind only the package (kommfit/), not the repository
    package = Path(__file__).resolve().parent.parent
    roots.add(str(package))
    existing = sorted(r for r in roots if r and os.path.exists(r))
    # drop paths already covered by a parent in the list
    return [r for r in existing if not any(r != other and r.startswith(other.rstrip("/") + "/") for other in existing)]


def sandbox_environment(spec: SandboxSpec, source: dict[str, str] | None = None) -> dict[str, str]:
    """The whole environment of the worker's sandbox: the harmless variables of ``source`` and the sandbox's own."""
    source = dict(os.environ if source is None else source)
    env = {name: source[name] for name in SAFE_ENV if name in source}
    env.update(HOME="/tmp", TMPDIR="/tmp", MPLCONFIGDIR="/tmp", IPYTHONDIR="/tmp/.ipython",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env[SANDBOX_ENV] = spec.to_env()
    if spec.profile:
        env["KOMMFIT_PROFIL"] = PROFILE
    return env


def wrap(command: list[str], spec: SandboxSpec, info_fd: int) -> list[str]:
    """``command`` run inside the worker's bubblewrap (see the module docstring); bubblewrap writes the sandbox's
    process id on the host to ``info_fd``."""
    args = ["bwrap", "--clearenv"]
    for name, value in sandbox_environment(spec).items():
        args += ["--setenv", name, value]
    roots = _read_only_roots()
    # bubblewrap would create the parents of bind mounts as 0700; the unprivileged kernel must be able to pass
    parents = sorted({str(p) for path in [*roots, PROFILE] for p in Path(path).parents if str(p) != "/"},
                     key=lambda p: p.count("/"))
    limits = spec.limits
    args += ["--perms", "01777", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp"]
    for parent in parents:
        if parent != "/tmp":
            args += ["--perms", "0755", "--dir", parent]
    for root in roots:
        args += ["--ro-bind", root, root]
    args += [
        "--dev", "/dev", "--proc", "/proc",
        "--ro-bind", spec.staging, SUBMISSION,
        "--perms", "0755", "--dir", WORK,
        "--perms", "01777", "--size", str(limits.socket_bytes), "--tmpfs", SOCKETS,
        "--perms", "0700", "--size", str(2**20), "--tmpfs", SERVER,
        *(["--ro-bind", spec.profile, PROFILE] if spec.profile else []),
        "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session", "--chdir", "/",
        "--remount-ro", "/dev", "--remount-ro", "/",
        "--info-fd", str(info_fd),
    ]
    # The fork server may mount (each kernel's namespaces), change users and clean up after kernels; every kernel
    # gives all of this up before it runs a single line of the participant's notebook.
    needed = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
              "CAP_SETPCAP")
    prefix = list(own_users_prefix(spec.uid))
    if os.geteuid() != 0 and not prefix:
        args += ["--unshare-user"]  # unprivileged bubblewrap needs a user namespace (capabilities count only there)
    args += ["--cap-drop", "ALL"]
    for capability in needed:
        args += ["--cap-add", capability]
    return prefix + args + command


def start_sandbox(command: list[str], spec: SandboxSpec) -> tuple[subprocess.Popen, str]:
    """Start ``command`` in the worker's sandbox; returns the process and the sandbox's root as the host sees it
    (``/proc/<pid>/root``), through which the grader reaches the sockets inside."""
    Path(spec.staging).mkdir(parents=True, exist_ok=True)
    reader, writer = os.pipe()
    try:
        process = subprocess.Popen(wrap(command, spec, writer), pass_fds=[writer], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    finally:
        os.close(writer)
    with os.fdopen(reader, "rb") as info:
        data = b""
        while b"}" not in data:
            chunk = info.read1(4096)
            if not chunk:
                break
            data += chunk
    try:
        child = int(json.loads(data)["child-pid"])
    except (ValueError, KeyError) as error:
        process.kill()
        raise SandboxUnavailable("bubblewrap hat die Sandbox nicht gestartet.") from error
    return process, f"/proc/{child}/root"


def refill_staging(spec: SandboxSpec, submission: Path) -> None:
    """Put one submission (and nothing else) into the host's staging folder. Symlinks are copied as links, never
    followed: inside the sandbox they point nowhere."""
    staging = Path(spec.staging)
    for entry in staging.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in submission.iterdir():
        target = staging / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry), target)
        elif entry.is_dir():
            shutil.copytree(entry, target, symlinks=True)
        elif entry.is_file():
            shutil.copyfile(entry, target)
    for path in [staging, *staging.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)


# ------------------------------------------------------------------------------------- inside the worker's sandbox
_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise SandboxError(f"{what}: {os.strerror(error)}")


def _mount(source: str, target: str, kind: str | None, flags: int, options: str = "") -> None:
    _check(_libc.mount(source.encode(), target.encode(), kind.encode() if kind else None, flags,
                       options.encode() if options else None), f"mount {target}")


def _tmpfs(target: str, size: int, inodes: int, mode: str, owner: int | None, flags: int = 0) -> None:
    options = f"size={size},nr_inodes={inodes},mode={mode}"
    if owner is not None:
        options += f",uid={owner},gid={owner}"
    _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | flags, options)


def enter_submission_sandbox(spec: SandboxSpec) -> None:
    """In the fork server's child, before the kernel is forked: new namespaces and fresh, sized folders.

    Afterwards this process is in a new mount and IPC namespace, and its next child will be PID 1 of a new PID
    namespace. ``/tmp`` and ``/arbeit`` are empty tmpfs (``/arbeit`` then gets a copy of the submission), the fork
    server's socket is covered up.
    """
    owner = spec.uid if os.geteuid() == 0 else None
    limits = spec.limits
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC), "unshare")
    _mount("none", "/", None, MS_REC | MS_PRIVATE)  # nothing of this view travels back to the worker's sandbox
    hidden = [root for root in _read_only_roots() if root.startswith("/tmp/")]
    kept = [(os.open(root, os.O_PATH | os.O_DIRECTORY), root) for root in hidden]
    _tmpfs("/tmp", limits.tmp_bytes, limits.inodes, "1777", None)
    for handle, root in kept:
        _show_again(handle, root)
    _tmpfs(WORK, limits.work_bytes, limits.inodes, "0755", owner)
    _tmpfs(SERVER, 4096, 16, "0000", None, MS_RDONLY)
    shutil.copytree(SUBMISSION, WORK, symlinks=True, dirs_exist_ok=True)
    if owner is not None:
        for root, dirs, files in os.walk(WORK):
            for name in dirs + files:
                os.lchown(os.path.join(root, name), owner, owner)


def _show_again(handle: int, root: str) -> None:
    """Bind the read-only folder open as ``handle`` back at ``root`` under the fresh ``/tmp``, read-only as before.

    A course cloned below ``/tmp`` has its Python environment there: covered by the fresh ``/tmp``, every module
    the fork server had not preloaded (and the seccomp library) would be missing in the kernel — so it died, but
    only where the repository lies in ``/tmp``.
    """
    try:
        os.makedirs(root, mode=0o755, exist_ok=True)
        flags = os.statvfs(f"/proc/self/fd/{handle}").f_flag & KEPT_MOUNT_FLAGS
        _mount(f"/proc/self/fd/{handle}", root, None, MS_BIND)
        _mount("none", root, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)
    finally:
        os.close(handle)


def become_pid_one() -> None:
    """In the first child after ``enter_submission_sandbox`` (PID 1 of the new namespace): a /proc of its own."""
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | 8)  # 8 = MS_NOEXEC


def confine_kernel(spec: SandboxSpec, connection_file: str) -> None:
    """In the forked kernel, before it starts: set limits, become an unprivileged user where we are root, and give up
    every capability (also the ones a user namespace grants)."""
    limits = spec.limits
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with an error instead of killing
    current = _mapped_bytes()
    resource.setrlimit(resource.RLIMIT_AS, (current + limits.memory_headroom_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_bytes, limits.file_size_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.geteuid() == 0:  # real root, or root of the user namespace of own_users_prefix
        os.umask(0)  # the grader is another user now: it must be able to connect to this kernel's sockets in /s
        os.chown(connection_file, spec.uid, spec.uid)
        os.setgroups([])
        os.setgid(spec.uid)
        os.setuid(spec.uid)
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    else:
        # the whole user namespace shares one user id: count what runs now (the fork server, this kernel)
        running = sum(1 for entry in os.listdir("/proc") if entry.isdigit())
        resource.setrlimit(resource.RLIMIT_NPROC, (running + limits.processes,) * 2)
    drop_capabilities()
    forbid_new_processes()


def drop_capabilities() -> None:
    """No capability left, none to regain (the process is single-threaded here, so this covers every thread)."""
    for capability in range(64):
        _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # fails harmlessly past the last capability
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.capset(header, data), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def forbid_new_processes() -> None:
    """From here on this process may start threads, never processes: ``fork``, ``vfork`` and a ``clone`` without
    ``CLONE_THREAD`` fail at once with "Operation not permitted" (a seccomp filter, inherited by every thread).

    Why: a quiz notebook never needs a process of its own, and every process a submission starts is a way to make
    its result depend on the machine. Under a process limit a fork bomb ended whenever the copies happened to fill
    the limit: on a quiet machine the cell ran past its time limit (9 points), in a busy batch it failed in time
    (10 points). A process that can never be created ends the same way on every run. ``clone3`` answers "not
    implemented", because its flags lie in memory where a filter cannot read them; the C library then starts its
    threads with ``clone``.
    """
    import pyseccomp as seccomp  # needs libseccomp (Debian: libseccomp2)

    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in ("fork", "vfork"):
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
    rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    rules.load()


def _mapped_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def other_processes() -> list[int]:
    """Inside the worker's sandbox: every process except its init (PID 1) and the caller."""
    me = os.getpid()
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit() and int(entry) not in (1, me)]


def clear_leftovers(deadline_seconds: float = 10.0) -> None:
    """Kill whatever is still running besides the fork server, and wait until it is gone; raise SandboxError if
    it will not go. Called before every new kernel: nothing of one submission may meet the next."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        remaining = other_processes()
        if not remaining:
            return
        for pid in remaining:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if time.monotonic() > deadline:
            raise SandboxError(f"{len(remaining)} Prozesse der vorigen Abgabe ließen sich nicht beenden")
        time.sleep(0.005)


def clear_sockets(keep: str) -> None:
    """Empty the socket folder except the new kernel's connection file (a kernel may have left files there)."""
    for entry in Path(SOCKETS).iterdir():
        if entry.name == keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
