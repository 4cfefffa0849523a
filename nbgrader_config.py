"""nbgrader settings for the kommfit curriculum repository (maintainers: `make release`, `make author`)."""

from pathlib import Path

from kommfit.course.settings import configure

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
configure(c, Path(__file__).resolve().parent)
