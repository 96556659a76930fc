"""What every subsystem stands on: database, transactions, events, config, errors (no Flask)."""
