"""The regional threat assessment. `methodology` and `scoring` are pure modules (no Django): a
methodology is validated data, scoring is vectorised arithmetic over plain arrays."""
