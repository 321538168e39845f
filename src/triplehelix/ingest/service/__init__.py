"""Loading a region's dataset and ROR dumps: reading, validating and writing."""
