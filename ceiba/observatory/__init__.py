"""The public observatory: security indicators of the Americas, open data and transparency measures."""
