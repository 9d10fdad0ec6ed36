"""Validate, publish and explore the Tartar case data package."""


def pandera_schema(resource, descriptor="datapackage.json", backend="polars"):
    """The Pandera schema derived from one resource's Table Schema (see
    datapackage.validate.pandera_schemas); imported on first use, since Pandera takes
    a moment to load."""
    from datapackage.validate.pandera_schemas import pandera_schema as derive

    return derive(resource, descriptor, backend)
