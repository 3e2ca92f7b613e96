"""provenance: audit text for republication and for the notices republication requires."""

__version__ = "0.1.0"
