"""Background jobs of the response domain: timdu."""
