"""Operations: health and readiness, Prometheus metrics, JSON logs, the record of recurring runs, and
`cradle doctor` (docs/deploy.md)."""
