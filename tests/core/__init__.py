"""Tests of the engine, autograd_core (issues #2 and #3).

This folder is a package only so that its module names (``core.test_seeds`` ...)
cannot collide with same-named test files elsewhere under ``tests/`` (e.g.
``tests/engine/test_seeds.py``): with pytest's default import mode, two rootless
test files with one basename abort the whole collection ("import file mismatch").
"""
