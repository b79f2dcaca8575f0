"""Entry points: the command line (``cli``), the long-running bot (``runner``) and the scheduled
jobs (``jobs``). Only this package decides how a ``Refusal`` is printed."""
