"""Reports for the head of office: the live board, the service reports, their exports.

Read-only queries over the other subsystems' tables, aggregated in SQL. The queue's reports
(volume, waiting and service times) live here; the procedure contributes its own sections
(steps, PPID, SKM) through the catalog's registration hook, wired in app.py, since only
app.py, cli/ and the procedure itself may import the procedure.
"""
