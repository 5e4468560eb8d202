"""The industrial-transition workbench: EOCIC-style cluster-policy advice as code.

Data flows one way: raw open data -> snapshot (`workbench.data`) -> analysis
(`workbench.analysis`) -> JSON results (`workbench.results`) -> thin notebooks
(`workbench.report`) -> HTML site (`workbench.pipeline`).
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("workbench")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
