"""Routing of accepted change reports to the registration place and the province."""

from gateway.routing._route import (
    REGISTRATION_PLACE,
    Routed,
    RouteInput,
    destinations,
    registration_node,
    route,
)

__all__ = [
    "REGISTRATION_PLACE",
    "RouteInput",
    "Routed",
    "destinations",
    "registration_node",
    "route",
]
