"""Build hook: a wheel carries copies of notebooks/, templates/ and regions/ (the package's
resources; `workbench.paths` finds them when the package is installed, not run from a checkout).
Everything else about the package is in pyproject.toml."""
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = ("notebooks", "templates", "regions")


class BuildWithResources(build_py):
    """`build_py` that also copies the project's resource folders into `workbench/resources/`."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads them from the checkout
            target = os.path.join(self.build_lib, "workbench", "resources")
            shutil.rmtree(target, ignore_errors=True)  # no stale copy of a removed file from an earlier build
            for name in RESOURCES:
                self.copy_tree(name, os.path.join(target, name))


setup(cmdclass={"build_py": BuildWithResources})
