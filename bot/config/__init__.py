"""Configuration: the one settings object, read once at start and passed in, and the secret
file beside the database."""
