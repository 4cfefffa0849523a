"""The curriculum as an nbgrader course: nbgrader settings and preprocessors, the module catalog, building
``release/``, the JupyterLab views, reference and synthetic submissions.
"""

# Cohort folders made before the package was laid out by role have ``from kommfit.course import configure`` in their
# nbgrader_config.py; they keep working after an update.
from .settings import configure

__all__ = ["configure"]
