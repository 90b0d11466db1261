"""Old home of the parcel adjacency graph, kept one release as a re-export.

Import from :mod:`zoning.planning.adjacency` in new code.
"""

from zoning.planning.adjacency import (
    BUFFER_QUAD_SEGS,
    CORNER_GUARD_M,
    FRONTAGE_TOLERANCE_M,
    KIND_CODES,
    SNAP_TOLERANCE_M,
    ParcelAdjacency,
    build_parcel_adjacency,
    build_parcel_graph,
    component_labels,
    find_serviced_parcels,
    graph_from_adjacency,
)

__all__ = [
    "BUFFER_QUAD_SEGS",
    "CORNER_GUARD_M",
    "FRONTAGE_TOLERANCE_M",
    "KIND_CODES",
    "SNAP_TOLERANCE_M",
    "ParcelAdjacency",
    "build_parcel_adjacency",
    "build_parcel_graph",
    "component_labels",
    "find_serviced_parcels",
    "graph_from_adjacency",
]
