"""Background jobs of briefs: exports."""
