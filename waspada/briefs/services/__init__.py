"""Writes of briefs and exports: `documents` (brief requests, letterheads, subscriptions) and
`exports`."""
