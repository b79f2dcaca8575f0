"""Wiring: what puts the parts together for one process (``bootstrap``), the shared HTTP server
and its bounds, the once-a-process lock and the log's privacy filter."""
