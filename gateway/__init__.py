"""The exchange: envelopes and signatures, trust directory, CLI."""
