"""Ecosystem insight: value-chain coverage and gaps, growth, the relation network and the region
map, as numbers (API, CSV) and pictures (SVG, PNG), plus a printable region report."""
