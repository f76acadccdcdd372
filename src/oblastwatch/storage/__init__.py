"""Where data lives: on disk, in its formats and caches, and in the user's directories.

Imported datasets and the bundled tables on disk, their format and migrations, the caches, and
the user's directories. Uses domain and importers.
"""
