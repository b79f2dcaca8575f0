"""The staff console: web pages under ``/staff/`` on the one HTTP server (a front door,
like ``bot.channels.web``): it asks the application services, storage and reporting, and
nothing but the entry points and the wiring import it.

A page is a module in ``bot/staff/pages/`` with a handler under ``@staff_page`` (see
``bot.staff.guard``); every module there is loaded, so a new page touches no other file.
"""
