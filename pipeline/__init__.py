"""Japanese ministry budget releases -> verified, year-comparable records.

Stages: extract (PDF/text -> positioned lines) -> facts (rules -> records)
-> validate (golden + self-consistency).
"""
__version__ = "0.1.0"
