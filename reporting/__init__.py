"""Reports from the anonymous responses (quarterly report, digests): see issues 3 and 4."""
