"""Shared test configuration.

Importing :mod:`tests.bounds` registers the hypothesis profiles and loads the
one ``HYPOTHESIS_PROFILE`` names, before any test module builds its settings.
"""

import tests.bounds  # noqa: F401
