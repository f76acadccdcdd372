"""Suite-wide setup: keep the bundled-data cache of test runs out of the user's cache dir."""

from __future__ import annotations

import os
import tempfile

# Set at import, before any test or `streamlit run` subprocess reads it, so the app servers
# started by the browser tests inherit it too.
os.environ.setdefault("OBLASTWATCH_CACHE_DIR", tempfile.mkdtemp(prefix="oblastwatch-test-cache-"))
