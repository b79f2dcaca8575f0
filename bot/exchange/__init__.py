"""Data in and out: our own export format and Google Forms exports, as CSV or XLSX."""
