"""Suite-wide setup: keep the caches of test runs out of the user's cache dir."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from oblastwatch.cache import CACHE_DIR_ENV

# Set at import, before any test or `streamlit run` subprocess reads it, so the app servers
# started by the browser tests inherit it too; removed when the run ends.
if CACHE_DIR_ENV not in os.environ:
    _TEST_CACHE = tempfile.mkdtemp(prefix="oblastwatch-test-cache-")
    os.environ[CACHE_DIR_ENV] = _TEST_CACHE
    atexit.register(shutil.rmtree, _TEST_CACHE, ignore_errors=True)
