"""The print outbox as metrics: jobs pending (queued or being sent) and failed per printer."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.printing.models import PrintJob, PrintJobStatus

COUNTED = (PrintJobStatus.QUEUED, PrintJobStatus.PRINTING, PrintJobStatus.FAILED)


def job_counts(session: Session) -> list[tuple[tuple[str, str], float]]:
    """((printer, status), jobs) for the unfinished and failed jobs (an index range scan)."""
    rows = session.execute(select(PrintJob.printer, PrintJob.status, func.count())
                           .where(PrintJob.status.in_(COUNTED))
                           .group_by(PrintJob.printer, PrintJob.status)).all()
    return [((printer, status.value), count) for printer, status, count in rows]
