"""Blocking facades of the asyncio services, for scripts and threads without an event loop::

    from jetmesh.blocking import DocumentService
    svc = DocumentService()
    svc.setup()
    result = svc.process_document(s3_key="reports/q3.pdf", docling_options={"to_formats": ["md"]})
    print(result.markdown)
    svc.close()

Every coroutine method of the asyncio class becomes a method that blocks until it is done; async iterators
(``process_many``) become ordinary iterators. The connection lives on an event loop in one daemon thread per
facade, so the facades are safe to call from any thread.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from typing import Any, Callable, Iterator, Optional

from . import services
from .client import MeshClient
from .config import MeshSettings


class _LoopThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="jetmesh-loop", daemon=True)
        self.thread.start()

    def run(self, coro: Any, timeout: Optional[float] = None) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
        if not self.loop.is_running() and not self.loop.is_closed():
            self.loop.close()


class _Blocking:
    _async_class: Any = None

    def __init__(self, settings: Optional[MeshSettings] = None) -> None:
        self._loop = _LoopThread()
        self._svc = self._async_class(settings)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._svc, name)
        if inspect.isasyncgenfunction(attr):
            return self._iterator(attr)
        if inspect.iscoroutinefunction(attr):
            def call(*args: Any, **kwargs: Any) -> Any:
                return self._loop.run(attr(*args, **kwargs))
            call.__doc__ = attr.__doc__
            return call
        return attr

    def _iterator(self, fn: Callable[..., Any]) -> Callable[..., Iterator[Any]]:
        def call(*args: Any, **kwargs: Any) -> Iterator[Any]:
            agen = fn(*args, **kwargs)
            try:
                while True:
                    try:
                        yield self._loop.run(agen.__anext__())
                    except StopAsyncIteration:
                        return
            finally:
                self._loop.run(agen.aclose())
        return call

    @property
    def client(self) -> MeshClient:
        return self._svc.client

    def close(self) -> None:
        """Closes the connection (if owned) and stops the facade's event loop."""
        try:
            self._loop.run(self._svc.close(), 10)
        finally:
            self._loop.stop()

    def __enter__(self) -> Any:
        self.setup()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class DocumentService(_Blocking):
    """Blocking :class:`jetmesh.DocumentService`."""
    _async_class = services.DocumentService


class ImageService(_Blocking):
    """Blocking :class:`jetmesh.ImageService`."""
    _async_class = services.ImageService


class TextService(_Blocking):
    """Blocking :class:`jetmesh.TextService`."""
    _async_class = services.TextService
