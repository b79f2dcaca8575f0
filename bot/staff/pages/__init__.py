"""Console pages, one module per page or group: each registers its handlers with
``@staff_page`` (``bot.staff.guard``); ``bot.staff.console.load_pages`` imports them all."""
