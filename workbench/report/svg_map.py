"""A small offline map of Europe as inline SVG: EU-27 countries in grey, chosen regions in colour.

Polygons are the GISCO NUTS boundaries of the data snapshot (1:60 million), projected with the
Lambert azimuthal equal-area projection centred at 10° E, 52° N (the projection of EPSG:3035,
on a unit sphere: shapes as in Eurostat's maps, scale irrelevant). Polygons whose centre lies
outside continental Europe (outermost regions such as the Canaries, the Azores or French
overseas departments) are left out, so that the map stays legible. The SVG is text: no request
leaves the page, and it prints sharply.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

LON0, LAT0 = np.radians(10.0), np.radians(52.0)
EUROPE_LON, EUROPE_LAT = (-11.0, 35.0), (34.0, 72.0)
WIDTH = 560
Ring = np.ndarray
Polygon = Sequence[Ring]


@dataclass(frozen=True)
class MapRegion:
    """A region to colour: its polygons, name (tooltip) and link target."""

    name: str
    href: str
    polygons: Sequence[Polygon]
    colour: str = "#0072B2"


def project(lonlat: np.ndarray) -> np.ndarray:
    """Lambert azimuthal equal-area x, y (unit sphere; y up) of lon/lat degrees."""
    lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    cos_c = np.sin(LAT0) * np.sin(lat) + np.cos(LAT0) * np.cos(lat) * np.cos(lon - LON0)
    k = np.sqrt(2.0 / (1.0 + cos_c))
    x = k * np.cos(lat) * np.sin(lon - LON0)
    y = k * (np.cos(LAT0) * np.sin(lat) - np.sin(LAT0) * np.cos(lat) * np.cos(lon - LON0))
    return np.column_stack([x, y])


def in_europe(polygon: Polygon) -> bool:
    lon, lat = polygon[0][:, 0].mean(), polygon[0][:, 1].mean()
    return EUROPE_LON[0] <= lon <= EUROPE_LON[1] and EUROPE_LAT[0] <= lat <= EUROPE_LAT[1]


def _path(polygons: Iterable[Polygon], to_svg) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = to_svg(project(ring))
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def europe_svg(background: Mapping[str, Sequence[Polygon]], regions: Sequence[MapRegion],
               title: str) -> str:
    """Inline SVG: `background` polygons (e.g. EU-27 countries) in grey, `regions` coloured and
    linked, each with its name as tooltip and accessible label."""
    kept = {geo: [p for p in polygons if in_europe(p)] for geo, polygons in background.items()}
    kept = {geo: polygons for geo, polygons in kept.items() if polygons}
    points = np.vstack([project(ring) for polygons in kept.values() for p in polygons for ring in p]
                       or [np.zeros((1, 2))])
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    scale = WIDTH / (x1 - x0)
    height = (y1 - y0) * scale

    def to_svg(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([(xy[:, 0] - x0) * scale, (y1 - xy[:, 1]) * scale])

    grey = "".join(f'<path d="{_path(polygons, to_svg)}"/>' for polygons in kept.values())
    coloured = "".join(
        f'<a href="{html.escape(r.href)}" aria-label="{html.escape(r.name)}"><path d="'
        f'{_path([p for p in r.polygons if in_europe(p)], to_svg)}" fill="{r.colour}">'
        f"<title>{html.escape(r.name)}</title></path></a>" for r in regions)
    return (f'<svg class="wb-map" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
            f'aria-label="{html.escape(title)}">'
            f"<title>{html.escape(title)}</title>"
            f'<g fill="#e4e4e4" stroke="#ffffff" stroke-width="0.6">{grey}</g>'
            f'<g stroke="#ffffff" stroke-width="0.4">{coloured}</g></svg>')
