"""Chime, voice clips and the composer that joins them into one call."""
