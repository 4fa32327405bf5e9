"""Rate limit of the segment routes: each start runs the story engine on a worker."""

from __future__ import annotations

from rest_framework.throttling import UserRateThrottle

from animatic_vision.api.throttling import AtomicRateThrottle


class SegmentThrottle(AtomicRateThrottle, UserRateThrottle):
    """Segmentation starts per user, at the `segment` rate of settings (default 30/min)."""

    scope = "segment"
