"""sdp: the Shared Delivery Plan compiler."""

__version__ = "0.1.0"
