"""The queue rules: issue tickets, the counter desk, read the queue; their routes and pages."""
