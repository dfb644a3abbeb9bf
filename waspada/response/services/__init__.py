"""Writes of the response domain, one module per part: agencies, evidence, directives, cases,
timdu. Every service takes a keyword-only `actor`, runs in one transaction, checks scope and
permission with `ensure_can`, and writes an audit entry."""
