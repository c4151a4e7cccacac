"""Parse an archive in parallel: progress, resume, per-file errors, time and memory limits.

``run_batch(inputs, out_dir, workers=N)`` walks the inputs, skips non-report
file types, de-duplicates by content hash and parses each file in a worker
process that loads the model and the jieba dictionary once.  Each result is one
JSON line appended to ``reports.jsonl`` in a single write; failures go to
``errors.jsonl``.  Running again skips what is done (resume); a half line left by
a crash is cut off.  A worker that passes the per-file timeout or dies (memory
guard) is replaced and the file recorded as failed; the batch goes on.  A file whose pages are read by
OCR has its timeout extended by ``ocr_page_seconds`` a page (default :data:`OCR_SECONDS_PER_PAGE`;
``--ocr-page-seconds``); the worker says how many pages before it starts.

With ``scheduler`` (``local`` or a Dask scheduler address) the same work runs on
dask.distributed; the client collects and writes the results.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import queue
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPORT_SUFFIXES = {".pdf", ".docx", ".doc", ".wps", ".html", ".htm", ".shtml", ".xhtml", ".txt", ".text"}


@dataclass
class Summary:
    total: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    reasons: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        rate = self.done / self.seconds if self.seconds > 0 else 0.0
        out = [f"{self.done} parsed, {self.failed} failed, {self.skipped} already done, {self.duplicates} duplicates "
               f"in {self.seconds:.1f} s ({rate:.1f} reports/s)"]
        for reason, n in self.reasons.most_common():
            out.append(f"  {n:5d}  {reason}")
        return out


def collect(inputs: list[str], follow_symlinks: bool = False, outside: list[Path] | None = None) -> list[Path]:
    """The report files under ``inputs``; a link that leads out of its input folder is left out (and listed in
    ``outside``) unless ``follow_symlinks``."""
    files: list[Path] = []
    for inp in inputs:
        p = Path(inp)
        if p.is_dir():
            root_real = p.resolve()
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in sorted(names):
                    q = Path(root) / n
                    if q.suffix.lower() in REPORT_SUFFIXES and not n.startswith("."):
                        if q.is_symlink() and not follow_symlinks and not _inside(q, root_real):
                            if outside is not None:
                                outside.append(q)
                            continue
                        files.append(q)
        else:
            files.append(p)
    return files


def _inside(link: Path, root: Path) -> bool:
    try:
        return link.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links
        return False


class BatchLocked(Exception):
    """Another batch is writing to the same output folder."""


def _lock(out: Path):
    """An exclusive lock on ``out`` for the batch's lifetime: two batches into one folder would write every
    report twice."""
    import fcntl

    fh = open(out / ".gongkai.lock", "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise BatchLocked(str(out)) from None
    return fh


def file_hash(p: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _done_hashes(path: Path) -> set[str]:
    """Hashes recorded in a JSONL file; a trailing half line (crash) is cut off."""
    done: set[str] = set()
    if not path.exists():
        return done
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        with open(path, "r+b") as f:
            f.truncate(cut)
        data = data[:cut]
    for line in data.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        h = (rec.get("source") or {}).get("sha256") or rec.get("sha256")
        if h:
            done.add(h)
    return done


def json_line(rec: dict, indent: int | None = None) -> str:
    """One record as JSON (one line unless ``indent``): Chinese as it is, but a file name that is not valid
    UTF-8 (a GBK name from an unzipped archive) as JSON escapes, which keep its bytes (``os.fsencode`` gives
    them back)."""
    line = json.dumps(rec, ensure_ascii=False, indent=indent)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(rec, ensure_ascii=True, indent=indent)
    return line


def _append(fh, rec: dict | str) -> None:
    """One whole line per write (a str is a line the worker already serialised)."""
    fh.write((rec if isinstance(rec, str) else json_line(rec)) + "\n")
    fh.flush()


def special_file(p: Path) -> str | None:
    """Why a listed file is skipped unopened (a FIFO, a device such as a link to /dev/zero, a socket), or None."""
    from .readers import not_a_regular_file

    why = not_a_regular_file(p)
    return why if why is None or why.startswith("cannot") else f"skipped: {why}"


def _note_change(rep: dict, listed: str) -> dict:
    """Warn when the bytes parsed are not those hashed when the file was listed (replaced meanwhile)."""
    if listed and rep["source"]["sha256"] != listed:
        rep["warnings"].append({"code": "document.changed_during_batch",
                                "message": f"the file changed after it was listed (sha256 {listed[:12]}… when listed)"})
    return rep


def parse_one(path: str, sha: str) -> tuple[str, dict]:
    """Parse one file; return ("ok", report dict) or ("error", error record).  Never raises."""
    from .errors import ReadError
    from .readers import read
    from .report import build

    try:
        doc = read(path)
        rep = build(doc, doc.sha256 or sha).to_dict()  # the record names the bytes parsed
        return "ok", _note_change(rep, sha)
    except ReadError as e:
        return "error", {"file": path, "sha256": sha, "reason": e.reason}
    except MemoryError:
        return "error", {"file": path, "sha256": sha, "reason": "too large (out of memory while parsing)"}
    except RecursionError:
        return "error", {"file": path, "sha256": sha, "reason": "document too deeply nested"}
    except Exception as e:  # a bug of ours must not take the batch down
        why = f"{type(e).__name__}: {e}"[:240]
        return "error", {"file": path, "sha256": sha, "reason": f"internal error: {why} (a bug in gongkai: please report it with the file)"}


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive its batch (kill -9 of the parent included): Linux kills it with the parent
    (PR_SET_PDEATHSIG); elsewhere the task loop notices the parent is gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _next_task(tasks, parent: int):
    """The next task, checking every second that the batch that sent it is still alive."""
    while True:
        try:
            return tasks.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)


OUT_OF_MEMORY = 3  # a worker's exit code when an allocation failed outside a parse (its queue, its loop)
OCR_PAGES = "ocr_pages"  # a worker's message: the file it parses has this many pages to read by OCR
OCR_SECONDS_PER_PAGE = 10.0  # what each such page adds to the file's timeout
OCR_NOTICE_ENV = "GONGKAI_OCR_NOTICE"  # set for a `gongkai parse` child: it then prints OCR_NOTICE and the page count
OCR_NOTICE = "gongkai: ocr pages"


def _worker(tasks, results, mem_mb: int, parent: int) -> None:
    """A pool worker; whatever fails outside a parse ends it quietly with an exit code the parent reads
    (no traceback from a child process reaches the user)."""
    try:
        _serve(tasks, results, mem_mb, parent)
    except MemoryError:
        os._exit(OUT_OF_MEMORY)
    except BaseException:  # noqa: BLE001 - the parent reports "worker died"
        os._exit(1)


def _serve(tasks, results, mem_mb: int, parent: int) -> None:
    import signal

    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback from each worker
    # pay the imports and the model once per worker
    from .readers import ocr
    from .report import build  # noqa: F401
    from .sections.model import load_default

    load_default()
    if mem_mb:
        # a backstop for allocations faster than the parent's watch: the address space the worker maps
        # now (its libraries) plus twice the budget; the budget itself is resident memory, watched outside
        try:
            import resource

            vm = _proc_status_mb(os.getpid(), "VmSize") or 0.0
            lim = int((vm + 2 * mem_mb) * 1024 * 1024)
            resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
        except (ImportError, ValueError, OSError):
            pass
    while True:
        task = _next_task(tasks, parent)
        if task is None:
            return
        idx, path, sha = task
        ocr.on_ocr_pages = lambda n, idx=idx: results.put((idx, OCR_PAGES, n))  # the parent extends the timeout
        status, rec = parse_one(path, sha)
        if status == "ok":  # serialise here: the parent only writes lines
            results.put((idx, status, json_line(rec)))
        else:
            results.put((idx, status, rec))


def _proc_status_mb(pid: int, field: str) -> float | None:
    """A memory figure of a process from /proc (Linux; None elsewhere): VmRSS resident, VmSize mapped."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class _Slot:
    def __init__(self, ctx, results, mem_mb):
        self.tasks = ctx.Queue()
        self.proc = ctx.Process(target=_worker, args=(self.tasks, results, mem_mb, os.getpid()), daemon=True)
        self.proc.start()
        self.task = None
        self.started = 0.0
        self.extra = 0.0  # seconds added to the timeout: the file's pages are being read by OCR
        self.base: float | None = None  # the worker's resident memory when idle (imports, model)


def run_batch(inputs: list[str], out_dir: str | Path, workers: int = 1, timeout: float = 120.0, mem_mb: int = 4096,
              scheduler: str | None = None, progress: bool | None = None, retry_errors: bool = False,
              follow_symlinks: bool = False, ocr_page_seconds: float = OCR_SECONDS_PER_PAGE) -> Summary:
    """Parse ``inputs`` into ``out_dir`` (see the module docstring); a file is given up after ``timeout`` seconds,
    plus ``ocr_page_seconds`` for each of its pages read by OCR."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lock = _lock(out)
    try:
        return _run_locked(inputs, out, workers, timeout, mem_mb, scheduler, progress, retry_errors, follow_symlinks,
                           ocr_page_seconds)
    finally:
        lock.close()


def _run_locked(inputs, out: Path, workers, timeout, mem_mb, scheduler, progress, retry_errors, follow_symlinks,
                ocr_page_seconds: float) -> Summary:
    rep_path, err_path = out / "reports.jsonl", out / "errors.jsonl"
    done = _done_hashes(rep_path)
    failed_before = _done_hashes(err_path)
    if not retry_errors:
        done |= failed_before
    s = Summary()
    t0 = time.monotonic()
    todo: list[tuple[str, str]] = []
    seen: set[str] = set()
    special: list[dict] = []
    outside: list[Path] = []
    files = collect(inputs, follow_symlinks, outside)
    special += [{"file": str(q), "sha256": "", "reason": "skipped: a link out of the input folder (--follow-symlinks follows it)"}
                for q in outside]
    s.total += len(outside)
    for p in files:
        s.total += 1
        why = special_file(p)
        if why is not None:  # never opened: reading a FIFO or /dev/zero would never end
            special.append({"file": str(p), "sha256": "", "reason": why})
            continue
        h = file_hash(p)
        if h is None:
            todo.append((str(p), ""))
            continue
        if h in seen:
            s.duplicates += 1
            continue
        seen.add(h)
        if h in done:
            s.skipped += 1
            continue
        todo.append((str(p), h))
    if progress is None:
        progress = sys.stderr.isatty()
    from tqdm import tqdm

    bar = tqdm(total=len(todo) + len(special), disable=not progress, unit="file", dynamic_ncols=True)
    with open(rep_path, "a", encoding="utf-8") as rf, open(err_path, "a", encoding="utf-8") as ef:
        def record(status, rec):
            if status == "ok":
                _append(rf, rec)
                s.done += 1
            else:
                _append(ef, rec)
                s.failed += 1
                s.reasons[rec["reason"].split(" (")[0][:80]] += 1
            bar.update(1)
            bar.set_postfix(errors=s.failed, refresh=False)

        for rec in special:
            record("error", rec)
        try:
            if scheduler:
                _run_dask(todo, scheduler, workers, record, timeout, mem_mb, ocr_page_seconds)
            elif workers <= 1 and timeout <= 0:
                for path, sha in todo:
                    record(*parse_one(path, sha))
            else:
                _run_pool(todo, max(1, workers), timeout, mem_mb, record, ocr_page_seconds)
        finally:
            bar.close()
    _prune_errors(err_path, rep_path)
    s.seconds = time.monotonic() - t0
    return s


def _prune_errors(err_path: Path, rep_path: Path) -> None:
    """``errors.jsonl`` says the latest outcome of each file: a file parsed since (``--retry-errors``) leaves
    it, and a file that failed again is listed once, with its latest reason."""
    if not err_path.exists():
        return
    ok = _done_hashes(rep_path)
    latest: dict[str, str] = {}
    for line in err_path.read_text("utf-8", errors="replace").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # a line cut by a kill: dropped, the file is parsed again next time
        key = rec.get("sha256") or rec.get("file") or line
        if rec.get("sha256") in ok:
            continue
        latest.pop(key, None)
        latest[key] = line
    tmp = err_path.with_suffix(".jsonl.tmp")
    tmp.write_text("".join(x + "\n" for x in latest.values()), "utf-8")
    os.replace(tmp, err_path)


def _preload() -> None:
    """Import the heavy libraries and load the model once, before forking: the workers inherit them."""
    import pdfplumber  # noqa: F401

    from .items.region import _lookup
    from .report import build  # noqa: F401
    from .sections.model import load_default

    load_default()
    _lookup("北京市")


def _run_pool(todo, workers, timeout, mem_mb, record, ocr_page_seconds: float = OCR_SECONDS_PER_PAGE) -> None:
    ctx = mp.get_context("fork" if sys.platform != "win32" else "spawn")
    if ctx.get_start_method() == "fork":
        _preload()
    results = ctx.Queue()
    slots = [_Slot(ctx, results, mem_mb) for _ in range(min(workers, max(1, len(todo))))]
    pending = list(enumerate(todo))
    pending.reverse()
    inflight = 0
    try:
        while pending or inflight:
            for sl in slots:
                if sl.task is None and pending:
                    if mem_mb and sl.base is None:
                        sl.base = _proc_status_mb(sl.proc.pid, "VmRSS")
                    idx, (path, sha) = pending.pop()
                    sl.task = (idx, path, sha)
                    sl.started = time.monotonic()
                    sl.extra = 0.0
                    sl.tasks.put(sl.task)
                    inflight += 1
            try:
                idx, status, rec = results.get(timeout=0.2)
                if status == OCR_PAGES:
                    for sl in slots:
                        if sl.task and sl.task[0] == idx:
                            sl.extra = ocr_page_seconds * rec
                    continue
                for sl in slots:
                    if sl.task and sl.task[0] == idx:
                        sl.task = None
                inflight -= 1
                record(status, rec)
            except queue.Empty:
                pass
            now = time.monotonic()
            for i, sl in enumerate(slots):
                if sl.task is None:
                    continue
                dead = not sl.proc.is_alive()
                late = timeout > 0 and now - sl.started > timeout + sl.extra
                rss = _proc_status_mb(sl.proc.pid, "VmRSS") if mem_mb and not dead else None
                heavy = rss is not None and rss - (sl.base or 0.0) > mem_mb
                if dead or late or heavy:
                    _, path, sha = sl.task
                    if (late or heavy) and not dead:
                        sl.proc.kill()
                    sl.proc.join(5)
                    reason = (f"too large (over {mem_mb} MB of resident memory while parsing)" if heavy
                              else "too large (out of memory while parsing)" if dead and sl.proc.exitcode == OUT_OF_MEMORY
                              else f"timeout after {timeout + sl.extra:g} s" + (" (OCR included)" if sl.extra else "")
                              if late and not dead
                              else f"worker died (exit code {sl.proc.exitcode}; out of memory?)")
                    record("error", {"file": path, "sha256": sha, "reason": reason})
                    inflight -= 1
                    slots[i] = _Slot(ctx, results, mem_mb)
    finally:
        for sl in slots:
            try:
                sl.tasks.put(None)
            except (OSError, ValueError):
                pass
        for sl in slots:
            sl.proc.join(2)
            if sl.proc.is_alive():
                sl.proc.kill()


def parse_in_subprocess(path: str, sha: str, timeout: float, mem_mb: int,
                        ocr_page_seconds: float = OCR_SECONDS_PER_PAGE) -> tuple[str, dict]:
    """:func:`parse_one` in a process of its own (``gongkai parse``), given up after ``timeout`` seconds or
    past ``mem_mb`` MB of resident memory: the budgets of a Dask task, whose worker may not fork."""
    import subprocess

    def error(reason: str) -> tuple[str, dict]:
        return "error", {"file": path, "sha256": sha, "reason": reason}

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        env = {**os.environ, OCR_NOTICE_ENV: "1"}
        proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "parse", path], stdout=out, stderr=err, env=env)
        started, base, extra = time.monotonic(), None, 0.0
        while proc.poll() is None:
            time.sleep(0.1)
            if timeout > 0 and not extra:
                extra = ocr_page_seconds * _ocr_pages(err)
                if extra:
                    timeout += extra
            rss = _proc_status_mb(proc.pid, "VmRSS") if mem_mb else None
            if rss is not None and base is None and time.monotonic() - started > 1.0:
                base = rss  # imports and model loaded: what the parse adds is measured from here
            if timeout > 0 and time.monotonic() - started > timeout + 1.0:  # its own start-up not counted
                proc.kill()
                proc.wait()
                return error(f"timeout after {timeout:g} s" + (" (OCR included)" if extra else ""))
            if rss is not None and base is not None and rss - base > mem_mb:
                proc.kill()
                proc.wait()
                return error(f"too large (over {mem_mb} MB of resident memory while parsing)")
        out.seek(0)
        err.seek(0)
        if proc.returncode == 0:
            return "ok", _note_change(json.loads(out.read().decode("utf-8")), sha)
        line = [x for x in err.read().decode("utf-8", "replace").strip().splitlines() if not x.startswith(OCR_NOTICE)]
        reason = line[-1].split(": ", 2)[-1] if line else f"exit code {proc.returncode}"
        return error(reason)


def _ocr_pages(err) -> int:
    """The pages a `gongkai parse` child reads by OCR, from its notice on stderr (0: none yet)."""
    err.seek(0)
    for line in err.read().decode("utf-8", "replace").splitlines():
        if line.startswith(OCR_NOTICE):
            try:
                return int(line.split()[-1])
            except ValueError:
                return 0
    return 0


def _run_dask(todo, scheduler: str, workers: int, record, timeout: float = 0, mem_mb: int = 0,
              ocr_page_seconds: float = OCR_SECONDS_PER_PAGE) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        if timeout > 0 or mem_mb:  # the budgets apply on Dask too, enforced from outside the parse
            futs = [client.submit(parse_in_subprocess, path, sha, timeout, mem_mb, ocr_page_seconds, pure=False) for path, sha in todo]
        else:
            futs = [client.submit(parse_one, path, sha, pure=False) for path, sha in todo]
        for fut in as_completed(futs):
            try:
                status, rec = fut.result()
            except Exception as e:  # a worker lost mid-task
                status, rec = "error", {"file": "?", "sha256": "", "reason": f"dask task failed: {type(e).__name__}"}
            record(status, rec)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
