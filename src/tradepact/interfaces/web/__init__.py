"""The web app and JSON API (``tradepact serve``): :func:`~.app.create_app`.

Needs the ``web`` extra (FastAPI, uvicorn, plotly, swagger-ui-bundle-v2).
"""

from ...core.lazy import lazy

_EXPORTS = {"create_app": ".app"}
__getattr__, __dir__ = lazy(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
