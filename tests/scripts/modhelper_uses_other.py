"""Helper module that itself imports another helper module."""
import modhelper_state
from modhelper_math import double

def bump_twice():
    modhelper_state.bump()
    return modhelper_state.bump()

def quad(x):
    return double(double(x))
