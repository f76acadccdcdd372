"""Suite-wide setup: test caches kept out of the user's cache dir; no Hypothesis deadlines."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from hypothesis import settings

from oblastwatch.storage.cache import CACHE_DIR_ENV

# Set at import, before any test or `streamlit run` subprocess reads it, so the app servers
# started by the browser tests inherit it too; removed when the run ends.
if CACHE_DIR_ENV not in os.environ:
    _TEST_CACHE = tempfile.mkdtemp(prefix="oblastwatch-test-cache-")
    os.environ[CACHE_DIR_ENV] = _TEST_CACHE
    atexit.register(shutil.rmtree, _TEST_CACHE, ignore_errors=True)

# Hypothesis fails an example that runs longer than its deadline (200 ms): on a busy machine
# that is the scheduler, not the code. Correctness is what the property tests check; speed is
# measured in bench/.
settings.register_profile("oblastwatch", deadline=None)
settings.load_profile("oblastwatch")
