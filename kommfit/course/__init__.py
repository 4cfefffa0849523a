"""The curriculum as an nbgrader course: nbgrader settings and preprocessors, the module catalog, building
``release/``, the JupyterLab views, reference and synthetic submissions.
"""
