"""Helper module with a main guard that must not run on import."""
def value():
    return "value from guarded module"

if __name__ == "__main__":
    print("this must not print on import")
