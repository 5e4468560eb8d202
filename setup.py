"""Build hook: a wheel carries copies of notebooks/, templates/ and regions/ (the package's
resources; `workbench.paths` finds them when the package is installed, not run from a checkout).
Everything else about the package is in pyproject.toml."""
import os

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = ("notebooks", "templates", "regions")


class BuildWithResources(build_py):
    """`build_py` that also copies the project's resource folders into `workbench/resources/`."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads them from the checkout
            for name in RESOURCES:
                self.copy_tree(name, os.path.join(self.build_lib, "workbench", "resources", name))


setup(cmdclass={"build_py": BuildWithResources})
