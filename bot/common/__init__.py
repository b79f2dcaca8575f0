"""Neutral helpers every layer may use (atomic files); they import nothing of the project."""
