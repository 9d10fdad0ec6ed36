"""Validate, publish and explore the Tartar case data package."""
