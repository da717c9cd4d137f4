"""Helper module for the import_* golden scripts (not a test itself)."""
PI_ISH = 3
_private = "hidden from star-import"
calls = []

def double(x):
    calls.append(x)
    return x * 2

class Shape:
    def __init__(self, sides):
        self.sides = sides
    def describe(self):
        return f"shape with {self.sides} sides"

print("modhelper_math loaded, __name__ =", __name__)
