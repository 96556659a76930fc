"""The office procedure (POS): visits through its steps, the guest book, PPID, survey, IKM."""
