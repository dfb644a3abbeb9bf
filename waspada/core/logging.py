import logging

from waspada.core.context import job_id_var, request_id_var


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (or the job id, or "-") to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or job_id_var.get() or "-"
        return True
