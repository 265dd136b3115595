"""Settings for `make run` on a workstation: the embedded SQLite database under var/."""

from .base import *

DEBUG = env_bool("CEIBA_DEBUG", False)
