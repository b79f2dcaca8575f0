"""Kinds of question as objects: each reads its XLSForm row, checks and applies an answer,
understands typed input, lists its options, imports and exports its value and says which
report table it gets (``base.QuestionKind``; the kinds by name in ``registry``)."""
