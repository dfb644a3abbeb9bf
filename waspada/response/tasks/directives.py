"""Background jobs of the response domain: directives."""
