"""Feedback bot: anonymous citizen feedback on municipal social services."""
