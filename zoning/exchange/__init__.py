"""Exchange with the municipal GIS: the administration's own layers brought into a park.

The core of ``zoning import``, on frames and values only (the files are read and written in
:mod:`zoning.io.importing`):

- :mod:`zoning.exchange.crs` decides the coordinate reference system of a delivered layer
  (declared, or recognised from its coordinates, such as the zone prefix ``34`` of
  EPSG:4522) and refuses Xi'an 80 and Beijing 54;
- :mod:`zoning.exchange.fields` maps the delivery's field names and values to ours, with
  defaults that recognise the usual Chinese names (地块编号, 用地代码, 现状 …);
- :mod:`zoning.exchange.landcodes` converts land-use codes of GB 50137-2011 (M2, W1, R2 …)
  to the 2023 classification (用地用海分类) by a documented table;
- :mod:`zoning.exchange.delivery` puts them together, layer by layer, with a report.
"""
