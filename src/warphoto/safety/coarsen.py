"""Coarsening coordinates: a point becomes the centre of its cell in a grid of N km."""

from __future__ import annotations

import math

__all__ = ["KM_PER_DEGREE", "coarsen"]

#: kilometres per degree of latitude (and of longitude at the equator)
KM_PER_DEGREE = 111.32


def coarsen(latitude: float, longitude: float, grid_km: float) -> tuple[float, float]:
    """The centre of the grid cell (about ``grid_km`` by ``grid_km``) that holds the point.

    Rows are ``grid_km`` of latitude tall; within a row, cells are ``grid_km`` wide at the row's
    centre latitude, so the result depends only on the cell, never on where in it the point lies.
    """
    step_lat = grid_km / KM_PER_DEGREE
    row = math.floor((latitude + 90.0) / step_lat)
    centre_lat = min(90.0, -90.0 + (row + 0.5) * step_lat)
    width_km = KM_PER_DEGREE * max(math.cos(math.radians(centre_lat)), 1e-6)
    step_lon = min(360.0, grid_km / width_km)
    column = math.floor((longitude + 180.0) / step_lon)
    centre_lon = -180.0 + (column + 0.5) * step_lon
    if centre_lon > 180.0:
        centre_lon -= 360.0
    return round(centre_lat, 5), round(centre_lon, 5)
