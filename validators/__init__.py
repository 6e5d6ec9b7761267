"""The validator: converts cells, runs pandera schemas and rules, yields findings."""
