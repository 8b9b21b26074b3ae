"""Batch: every program for every household of a region, partitioned, resumable; what-if costing; Spark."""
