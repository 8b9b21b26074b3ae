"""cradle: fertility-support policy as working software."""
