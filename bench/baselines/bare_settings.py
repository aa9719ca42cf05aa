"""Settings for the thread-page baseline: the project's, with a URLconf holding one
bare view."""

from community.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baselines.bare_urls"
