"""ESC/POS tickets and receipts, printer connections and the remote print agent; no Flask."""
