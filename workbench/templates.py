"""The versioned templates the analysis uses, read and validated here (the analysis reads no file).

* `templates/cluster_categories.yaml`: NACE division -> cluster category mapping, validated by
  `workbench.analysis.clusters.CategoryMap` (`CategoryError` names the file and the problems);
* `templates/measures.yaml`: the measures catalogue, validated by
  `workbench.analysis.proposals.parse_catalogue` (`CatalogueError` names the file, the measure,
  the field and the value).

Each is read once per process and path (cached). The analysis functions take the loaded object
as a required argument (`categories=`, `catalogue=`) and never call these loaders: the report
layer, the widgets and the CLI load the templates here and pass them in.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from workbench import paths
from workbench.regions import SAFE_LOADER

if TYPE_CHECKING:
    from workbench.analysis.clusters import CategoryMap
    from workbench.analysis.proposals import Catalogue

CATEGORIES_FILE = paths.TEMPLATES_DIR / "cluster_categories.yaml"
CATALOGUE_FILE = paths.TEMPLATES_DIR / "measures.yaml"


class _UniqueKeyLoader(SAFE_LOADER):  # type: ignore[valid-type,misc]
    """A YAML loader that rejects duplicate keys (a division listed twice)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {duplicates}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


def load_categories(path: Path | str = CATEGORIES_FILE) -> CategoryMap:
    """Read and validate the category mapping; raises `CategoryError` on any problem."""
    return _load_categories(Path(path))


@lru_cache(maxsize=4)
def _load_categories(path: Path) -> CategoryMap:
    from workbench.analysis.clusters import CategoryError, CategoryMap

    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
        return CategoryMap.model_validate(document)
    except (OSError, yaml.YAMLError) as error:
        raise CategoryError(path, [str(error)]) from None
    except ValidationError as error:
        raise CategoryError(path, [f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}"
                                   for e in error.errors()]) from None


def load_catalogue(path: Path | str = CATALOGUE_FILE) -> Catalogue:
    """Read and validate the measures catalogue (cached per path)."""
    return _load_catalogue(Path(path).resolve())


@lru_cache(maxsize=4)
def _load_catalogue(path: Path) -> Catalogue:
    from workbench.analysis.proposals import CatalogueError, parse_catalogue

    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError(path, [f"cannot read the file: {error}"]) from None
    return parse_catalogue(raw, path)
