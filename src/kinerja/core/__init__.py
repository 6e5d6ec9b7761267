"""Core: the SOP definition, the workbook contract, the model rules run on, findings.

Nothing in this package imports from templates, validators, xlsx, services or cli."""
