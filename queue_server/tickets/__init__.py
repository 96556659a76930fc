"""The queue rules: issue tickets, the counter desk, read the queue; their routes and pages."""
# Registers the listener that keeps the waiting counts with every change of a ticket,
# whichever part of the tickets package is imported first.
from queue_server.tickets import counts as _counts  # noqa: F401
