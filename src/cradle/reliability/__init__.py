"""Proof under stress (issue 10): fuzzing of the API and the parsers, fault injection, and the report
`make reliability` writes to docs/reliability.md."""
