"""Load the documented example scheme, check it round-trips, and print its weight table."""

from pathlib import Path

import arbetstyngd as at

path = Path(__file__).with_name("scheme-example.toml")
scheme = at.Scheme.from_toml(path)
assert at.Scheme.from_toml(scheme.to_toml()) == scheme  # TOML round-trip is lossless
print(scheme.id, "P =", scheme.capacity)
print(scheme.weights_table())
print(at.list_schemes())
