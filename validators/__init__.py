"""The validator: converts cells, runs the column checks and rules, yields findings."""
