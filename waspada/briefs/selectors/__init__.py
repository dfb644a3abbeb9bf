"""Reads of briefs and exports: `documents` and `exports`."""
