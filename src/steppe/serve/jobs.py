"""Background ingest jobs: one thread per job, status kept in memory for ``/api/jobs/{id}``."""

from __future__ import annotations

import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    id: str
    inputs: list[str]
    status: str = "queued"  # queued | running | done | failed
    created: str = field(default_factory=_now)
    started: str | None = None
    finished: str | None = None
    pages_added: int = 0
    pages_skipped: int = 0
    items_added: int = 0
    duplicates: int = 0
    items_enriched: int = 0
    warnings: list[str] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class JobRunner:
    """Runs ingests one at a time (SQLite has one writer), each in a background thread."""

    def __init__(self, db: str, *, enrich: bool = True) -> None:
        self.db = db
        self.enrich = enrich
        self.jobs: dict[str, Job] = {}
        self._write_lock = threading.Lock()

    def submit(self, inputs: list[str]) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], inputs=inputs)
        self.jobs[job.id] = job
        threading.Thread(target=self._run, args=(job,), name=f"ingest-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def _run(self, job: Job) -> None:
        with self._write_lock:
            job.status, job.started = "running", _now()
            try:
                from steppe.pipeline import ingest
                from steppe.store import open_store

                store = open_store(self.db)
                try:
                    summary = ingest(job.inputs, store)
                    if self.enrich and summary.pages_added:
                        job.items_enriched = _enrich(store, job)
                finally:
                    store.close()
                job.pages_added, job.pages_skipped = summary.pages_added, summary.pages_skipped
                job.items_added, job.duplicates = summary.items_added, summary.duplicates
                job.failures = [{"source": f.source, "stage": f.stage, "reason": f.reason}
                                for f in summary.failures]
                job.status = "done" if summary.succeeded or not job.inputs else "failed"
            except Exception as exc:  # the job reports it; the server goes on
                job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
            finally:
                job.finished = _now()


def _enrich(store: object, job: Job) -> int:
    """Entities and events for the new items, as `steppe ingest` does; a failure here is a warning."""
    try:
        from steppe.pipeline import enrich_items
    except ImportError:
        return 0
    try:
        return enrich_items(store)
    except Exception as exc:  # the pages are stored; enrichment can be re-run later
        job.warnings.append(f"enrichment failed: {type(exc).__name__}: {exc}"[:500])
        return 0
