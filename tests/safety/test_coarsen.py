"""Coarsening: a point goes to the centre of its grid cell, within the cell, the same for the whole cell."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from warphoto.safety import coarsen
from warphoto.safety.coarsen import KM_PER_DEGREE

LATITUDES = st.floats(-80, 80)
LONGITUDES = st.floats(-179.9, 179.9)
GRIDS = st.sampled_from([0.5, 1.0, 5.0, 10.0, 50.0])


@given(LATITUDES, LONGITUDES, GRIDS)
def test_the_centre_is_within_the_cell(lat: float, lon: float, grid: float) -> None:
    clat, clon = coarsen(lat, lon, grid)
    assert abs(clat - lat) * KM_PER_DEGREE <= grid / 2 + 1e-3
    east_west = abs(clon - lon) * KM_PER_DEGREE * math.cos(math.radians(clat))
    assert east_west <= grid / 2 + 1e-3


@given(LATITUDES, LONGITUDES, GRIDS, st.floats(0, 1), st.floats(0, 1))
def test_every_point_of_a_cell_gives_the_same_centre(
    lat: float, lon: float, grid: float, fy: float, fx: float
) -> None:
    clat, clon = coarsen(lat, lon, grid)
    # another point of the same cell, well inside it
    step_lat = grid / KM_PER_DEGREE
    step_lon = grid / (KM_PER_DEGREE * math.cos(math.radians(clat)))
    other = (clat + (fy - 0.5) * 0.9 * step_lat, clon + (fx - 0.5) * 0.9 * step_lon)
    assert coarsen(*other, grid) == (clat, clon)


def test_a_known_point() -> None:
    # Kharkiv's centre to a 10 km grid: far from the point, never the point itself
    lat, lon = coarsen(49.9935, 36.2304, 10.0)
    assert (lat, lon) != (49.9935, 36.2304)
    assert abs(lat - 49.9935) < 0.05 and abs(lon - 36.2304) < 0.07
