"""Options shared by every collector (kept apart so http/files/feeds can import them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

DEFAULT_USER_AGENT = "Steppe/0.1 (+https://github.com/steppe-project/steppe; research crawler)"


@dataclass
class CollectOptions:
    """How carefully and how far ``collect`` reads its inputs."""

    max_bytes: int = 20 * 1024 * 1024  # files/responses over this become a Failure
    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0  # seconds between requests to the same host
    retries: int = 3  # extra attempts, exponential backoff, on connect errors, 429 and 5xx
    timeout: float = 20.0
    respect_robots: bool = True


def utc_now() -> str:
    """ISO 8601 UTC timestamp, second precision."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def human_size(n: int) -> str:
    """Bytes as a short human string: '25.3 MB', '20 MB', '512 bytes'."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= factor:
            value = n / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def too_big(size: int, limit: int) -> str:
    """The one-line reason for an input over the size limit."""
    return f"exceeds size limit ({human_size(size)} > {human_size(limit)})"
