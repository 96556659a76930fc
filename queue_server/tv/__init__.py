"""The waiting-room TV's server side: its snapshot, the spoken call, its socket and pages."""
