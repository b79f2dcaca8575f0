"""Application services: what staff and citizens ask the bot to do, apart from how a process
is wired (``bot.wiring``) and from the command line that prints the outcome (``bot.entry``)."""
