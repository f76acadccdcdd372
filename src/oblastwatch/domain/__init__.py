"""The facts every other layer builds on.

The event model, the 27 regions and their names, place mentions, the gazetteer, region geometry
and the rules that decide what counts.

Imports nothing else from oblastwatch (layer order: domain <- importers <- storage <- query <-
study <- present <- ui / cli; ``tests/unit/test_architecture.py`` checks it).
"""
