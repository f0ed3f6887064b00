"""The meeting packet: one document for a stewardship meeting, and the charts it holds."""
