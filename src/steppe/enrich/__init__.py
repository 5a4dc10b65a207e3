"""Enrichment: named entities linked to the actor knowledge base, and PLOVER events.

* :mod:`steppe.enrich.actors` — the knowledge base (YAML data + loader); no spaCy import.
* :mod:`steppe.enrich.normalise` — name folding for transliteration variants.
* :mod:`steppe.enrich.entities` — spaCy NER, clean-up and linking (imports spaCy).
* :mod:`steppe.enrich.events` — PLOVER event coding on top of the entities.

Importing this package is cheap: spaCy loads only when an annotator is built.
"""
