"""The study notes' own Variable/Function classes (../shared/seeds), one module per stage of
the book, copied as the notes write them (their Korean comments and docstrings left out).

Each module is a fresh copy: a test imports the stage it needs and builds its graph with
that stage's own classes, exactly as a reader of the notes would.
"""
