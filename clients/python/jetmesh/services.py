"""Typed services in the original ``services.py`` shape: ``svc = DocumentService(); await svc.setup();
result = await svc.process_document(s3_key="reports/q3.pdf", docling_options={...})``.

Each service owns a :class:`~jetmesh.client.MeshClient` (or shares one passed in). Outputs stored in the object
store (``output_ref``) are fetched transparently; a failed job raises :class:`~jetmesh.errors.JobFailedError`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterable, List, Optional, Tuple, Union

from .client import Job, JobResult, MeshClient, ProgressCallback, as_completed
from .config import MeshSettings


@dataclass(frozen=True)
class DocumentResult:
    """A finished conversion: the output JSON (DoclingDocument under ``document``, exports per ``to_formats``)."""

    job_id: str
    output: Dict[str, Any]
    result: JobResult

    @property
    def document(self) -> Optional[Dict[str, Any]]:
        """docling's DoclingDocument JSON, or None when ``json`` was not requested."""
        return self.output.get("document")

    @property
    def markdown(self) -> Optional[str]:
        return self.output.get("markdown")

    @property
    def text(self) -> Optional[str]:
        return self.output.get("text")

    @property
    def html(self) -> Optional[str]:
        return self.output.get("html")

    @property
    def pages(self) -> int:
        if "pages" in self.output:
            return int(self.output["pages"])
        return len((self.document or {}).get("pages") or {})

    def __getitem__(self, key: str) -> Any:
        """``result["markdown"]`` as with the original client's dict results."""
        return self.output[key]


class _Service:
    """What the typed services share: the client they may own and job lookups by id."""

    def __init__(self, settings: Optional[MeshSettings] = None, client: Optional[MeshClient] = None):
        self._owned = client is None
        self.client = client if client is not None else MeshClient(settings)
        self.settings = self.client.settings

    async def setup(self) -> None:
        """Connects (a no-op for a shared client that is already connected)."""
        await self.client.start()

    async def close(self) -> None:
        """Closes the connection if this service created it."""
        if self._owned:
            await self.client.close()

    async def __aenter__(self):  # type: ignore[no-untyped-def]
        await self.setup()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def _run(self, subject: str, *, progress: Optional[ProgressCallback] = None,
                   timeout: Optional[float] = None, **submit: Any) -> Any:
        job = await self.client.submit(subject, progress=progress, timeout=timeout, **submit)
        return await self.client.output(await job)

    async def status(self, job_id: str) -> Optional[Dict[str, Any]]:
        return await self.client.status(job_id)

    async def result(self, job_id: str) -> Optional[JobResult]:
        return await self.client.result(job_id)

    async def cancel(self, job_id: str) -> None:
        await self.client.cancel(job_id)

    def _input(self, source: Union[str, Path, None] = None, s3_key: Optional[str] = None) -> Dict[str, Any]:
        """A local path becomes an upload, a reference or bare key an ``input_uri``."""
        if isinstance(source, Path) or (isinstance(source, str) and "://" not in source and Path(source).is_file()):
            return {"file": Path(source)}
        if isinstance(source, str) and "://" not in source and not self.settings.s3_bucket:
            raise ValueError(f"no such file {source!r}, and no default bucket (JETMESH_S3_BUCKET) to read it as an "
                             "S3 key; give a local file, s3://bucket/key or nats-object://bucket/name")
        return {"input_uri": self.settings.resolve_input(source, s3_key)}


class DocumentService(_Service):
    """PDF (and office/HTML/Markdown) conversion through the mesh's ``pdf.docling.*`` service."""

    CONVERT = "pdf.docling.convert"
    TEXT = "pdf.docling.text"
    TABLES = "pdf.docling.tables"
    METADATA = "pdf.docling.metadata"

    async def process_document(self, s3_key: Optional[str] = None, *, uri: Optional[str] = None,
                               docling_options: Optional[Dict[str, Any]] = None, timeout: Optional[float] = None,
                               progress: Optional[ProgressCallback] = None, job_id: Optional[str] = None
                               ) -> DocumentResult:
        """Converts a stored document: ``s3_key`` as ``reports/q3.pdf`` (resolved against ``JETMESH_S3_BUCKET``)
        or ``s3://bucket/key``, or ``uri`` (``s3://``, ``nats-object://``). ``docling_options`` are docling-serve's
        option names (``to_formats``, ``do_ocr``, ``ocr_options``, ``page_range``...)."""
        job = await self.submit(s3_key, uri=uri, docling_options=docling_options, timeout=timeout, progress=progress,
                                job_id=job_id)
        return await self.document_result(job)

    async def process_file(self, path: Union[str, Path], docling_options: Optional[Dict[str, Any]] = None, *,
                           timeout: Optional[float] = None, progress: Optional[ProgressCallback] = None
                           ) -> DocumentResult:
        """Uploads a local file to the mesh's object store, then converts it."""
        job = await self.client.submit(self.CONVERT, file=Path(path), options=docling_options, timeout=timeout,
                                       progress=progress)
        return await self.document_result(job)

    async def convert(self, source: Union[str, Path], docling_options: Optional[Dict[str, Any]] = None, *,
                      timeout: Optional[float] = None, progress: Optional[ProgressCallback] = None) -> DocumentResult:
        """docling's ``convert(source)``: a local path is uploaded, anything else is a reference or bare key."""
        job = await self.client.submit(self.CONVERT, options=docling_options, timeout=timeout, progress=progress,
                                       **self._input(source))
        return await self.document_result(job)

    async def submit(self, s3_key: Optional[str] = None, *, uri: Optional[str] = None,
                     docling_options: Optional[Dict[str, Any]] = None, timeout: Optional[float] = None,
                     progress: Optional[ProgressCallback] = None, job_id: Optional[str] = None) -> Job:
        """Submits a conversion and returns at once with the stored job (its id is ``job.job_id``)."""
        return await self.client.submit(self.CONVERT, input_uri=self.settings.resolve_input(uri, s3_key),
                                        options=docling_options, timeout=timeout, progress=progress, job_id=job_id)

    async def document_result(self, job: Job) -> DocumentResult:
        r = await job
        return DocumentResult(r.id, await self.client.output(r) or {}, r)

    async def process_many(self, keys: Iterable[str], docling_options: Optional[Dict[str, Any]] = None, *,
                           max_in_flight: int = 16, timeout: Optional[float] = None
                           ) -> AsyncIterator[Tuple[str, Union[DocumentResult, BaseException]]]:
        """Converts many documents with at most ``max_in_flight`` unfinished at once, yielding ``(key, result)``
        as each ends; a failed document yields ``(key, JobFailedError)`` and the batch goes on."""
        batch = self.client.batch(max_in_flight)
        key_of: Dict[str, str] = {}
        queue: "asyncio.Queue[Optional[Job]]" = asyncio.Queue()

        async def feed() -> None:
            try:
                for key in keys:
                    job = await batch.submit(self.CONVERT, input_uri=self.settings.resolve_input(None, key),
                                             options=docling_options, timeout=timeout)
                    key_of[job.job_id] = key
                    job._pending.future.add_done_callback(lambda f, j=job: queue.put_nowait(j))
            finally:
                await batch.wait()
                queue.put_nowait(None)

        feeder = asyncio.get_running_loop().create_task(feed())
        try:
            while True:
                job = await queue.get()
                if job is None:
                    break
                try:
                    yield key_of[job.job_id], await self.document_result(job)
                except Exception as e:  # the failure belongs to this document only
                    yield key_of[job.job_id], e
            await feeder  # raises a submission failure (e.g. backpressure) after the finished ones
        finally:
            feeder.cancel()

    async def extract_text(self, source: Union[str, Path]) -> Any:
        """Plain text per page, in reading order: ``{"pages":[{"page":1,"text":...}],"text":...}``."""
        return await self._run(self.TEXT, **self._input(source))

    async def extract_tables(self, source: Union[str, Path]) -> Any:
        return await self._run(self.TABLES, **self._input(source))

    async def metadata(self, source: Union[str, Path]) -> Any:
        return await self._run(self.METADATA, **self._input(source))

    async def convert_chunk_embed(self, source: Union[str, Path], docling_options: Optional[Dict[str, Any]] = None,
                                  chunk_options: Optional[Dict[str, Any]] = None,
                                  embed_options: Optional[Dict[str, Any]] = None) -> JobResult:
        """One pipeline job: convert, chunk (``text.analyze.chunk``), embed (``text.analyze.embed``)."""
        pipeline = [{"subject": TextService.CHUNK, "options": chunk_options or {}},
                    {"subject": TextService.EMBED, "options": embed_options or {}}]
        job = await self.client.submit(self.CONVERT, options=docling_options, pipeline=pipeline, **self._input(source))
        return await job


class ImageService(_Service):
    """Images through ``image.process.*``: OCR, thumbnails and conversion (outputs in the blob store, referenced
    from the result's ``artifacts``), metadata, classification and embeddings."""

    OCR = "image.process.ocr"
    THUMBNAIL = "image.process.thumbnail"
    CONVERT = "image.process.convert"
    METADATA = "image.process.metadata"
    CLASSIFY = "image.process.classify"
    EMBED = "image.process.embed"

    async def ocr(self, source: Union[str, Path], options: Optional[Dict[str, Any]] = None) -> Any:
        """OCR; options e.g. ``{"lang": "eng"}``."""
        return await self._run(self.OCR, options=options, **self._input(source))

    async def thumbnail(self, source: Union[str, Path], options: Optional[Dict[str, Any]] = None) -> Any:
        return await self._run(self.THUMBNAIL, options=options, **self._input(source))

    async def convert(self, source: Union[str, Path], options: Optional[Dict[str, Any]] = None) -> Any:
        return await self._run(self.CONVERT, options=options, **self._input(source))

    async def metadata(self, source: Union[str, Path]) -> Any:
        return await self._run(self.METADATA, **self._input(source))

    async def classify(self, source: Union[str, Path], options: Optional[Dict[str, Any]] = None) -> Any:
        return await self._run(self.CLASSIFY, options=options, **self._input(source))

    async def embed(self, source: Union[str, Path], options: Optional[Dict[str, Any]] = None) -> Any:
        return await self._run(self.EMBED, options=options, **self._input(source))


class TextService(_Service):
    """Text analysis through ``text.analyze.*``: chunking, language detection, embeddings, statistics."""

    CHUNK = "text.analyze.chunk"
    LANGUAGE = "text.analyze.language"
    EMBED = "text.analyze.embed"
    STATS = "text.analyze.stats"

    async def chunk(self, source: Union[str, Path], options: Optional[Dict[str, Any]] = None) -> Any:
        """Chunks a referenced text, Markdown or DoclingDocument JSON; options e.g. ``{"max_tokens": 256}``."""
        return await self._run(self.CHUNK, options=options, **self._input(source))

    async def analyze(self, subject: str, text: str, options: Optional[Dict[str, Any]] = None) -> Any:
        """Runs an operation on a text sent inline (uploaded when above the inline limit)."""
        return await self._run(subject, data=text.encode("utf-8"), name="input.txt",
                               content_type="text/plain; charset=utf-8", options=options)

    async def language(self, text: str) -> Any:
        return await self.analyze(self.LANGUAGE, text)

    async def embed(self, text: str, options: Optional[Dict[str, Any]] = None) -> Any:
        return await self.analyze(self.EMBED, text, options)

    async def stats(self, text: str) -> Any:
        return await self.analyze(self.STATS, text)


__all__: List[str] = ["DocumentService", "ImageService", "TextService", "DocumentResult", "as_completed"]
