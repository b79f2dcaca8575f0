"""The questionnaire: a declarative definition and a pure engine that walks it.

Nothing in this package does I/O, reads the clock or knows about a chat platform,
so every rule of the conversation is testable with plain values.
"""
