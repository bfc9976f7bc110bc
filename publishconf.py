"""Pelican settings for publishing: the development settings plus the real address."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://example.org")
RELATIVE_URLS = False
