"""Background jobs of the response domain: cases."""
