"""The conversation around the questionnaire, independent of any chat platform."""
