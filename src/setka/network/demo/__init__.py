"""The demo municipality (Шелеховский район): ``python -m setka demo``.

Entry point for other modules: :func:`build_demo` and :func:`register_step`; demo objects
are found again by institution slug (``ctx.institution("school-3")``) and by the demo logins
(``ctx.user("teacher")``)."""

from .build import (
    DEFAULT_SEED,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DemoContext,
    DemoError,
    build_demo,
    register_step,
)

__all__ = [
    "DEFAULT_SEED",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DemoContext",
    "DemoError",
    "build_demo",
    "register_step",
]
