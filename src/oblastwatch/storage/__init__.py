"""Where data lives: imported datasets and the bundled tables on disk, their format and
migrations, the caches, and the user's directories. Uses domain and importers."""
