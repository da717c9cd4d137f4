"""Helper module with __all__ for the import_* golden scripts."""
__all__ = ["exported", "also"]

def exported():
    return "exported"

def also():
    return "also"

def not_listed():
    return "not listed"
