"""Where data lives: on disk, in its formats and caches, and in the user's directories.

Imported datasets (``imported``, with ``dataset_dir``, ``locks``, ``upgrade`` and
``migrations``), the bundled tables (``bundled``), everything loaded as one (``store``), the
files and their format (``files``), one home for atomic writes (``atomic``), the caches
(``cache``) and the user's directories (``paths``). Uses domain and importers.
"""
