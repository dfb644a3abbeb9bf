"""Reads of the response domain, one module per part: agencies, directives, cases, timdu,
timeline. Every selector takes the user first and applies area scope and classification."""
