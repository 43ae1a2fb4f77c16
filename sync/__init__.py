"""The sheet sync: mapping, merge, applier, gateway, worker, emulator; imports models (not api or schema)."""
