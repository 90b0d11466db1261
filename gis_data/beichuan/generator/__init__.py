"""The generator of the bundled, ILLUSTRATIVE Beichuan park dataset, one module per step.

These are scripts beside the data, not part of the ``zoning`` package: ``generate.py`` (the
entry point beside this folder) loads the folder as a package under a private name and runs
:func:`pipeline.generate`. The steps, in the order the pipeline runs them:

``base``            paths, seed, CRS and tolerances; ``zoning.schema`` and the ledger module
``frame``           the local (u, v) frame in metres and the anchor points
``layout``          the layout constants (zones, roads, river, belts, cuts, hand-set blocks)
``geometry``        polygon helpers and shared-vertex noding
``zones``           the four zones
``constraints``     river setback, ecological belt, 330 kV corridor, town
``roads``           the road grid and its segments
``parcels``         guillotine cuts of the blocks, the hole and the ditch
``attributes``      parcel ids, uses, status, loads, floor areas
``infrastructure``  roads, utility trunks, the wastewater plant, substations
``context``         the real context features
``output``          placing on the ground, byte-stable GeoJSON
``metadata``        ``metadata.json``
``pipeline``        the whole build, and the summary tables
``checks``          reading the files back and checking them
"""
