"""Helper module holding mutable state, to show modules are loaded once."""
counter = 0

def bump():
    global counter
    counter += 1
    return counter
