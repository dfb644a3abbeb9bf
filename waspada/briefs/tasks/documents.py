"""Background jobs of briefs: documents."""
