"""The same rules as an OpenFisca tax-benefit system, for a measured comparison with cradle's engine."""
