def register(app) -> None:
    pass
