"""Signal receivers that write the security event log (connected in SecurityConfig.ready)."""


def connect() -> None:
    """Connect every receiver once (dispatch_uid keeps a second call harmless)."""
