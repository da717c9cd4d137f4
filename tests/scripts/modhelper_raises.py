"""Helper module whose import fails with an error."""
ready = True
raise ValueError("modhelper_raises refuses to load")
