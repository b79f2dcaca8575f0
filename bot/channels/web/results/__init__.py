"""The public results pages (``/results``), served on the web channel's HTTP server."""
