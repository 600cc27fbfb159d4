"""jetmesh: a zero-dependency (standard library only) Python client of the jetmesh processing mesh.

asyncio first::

    from jetmesh import DocumentService
    svc = DocumentService()          # NATS_URL, NATS_TOKEN, ... and .env, as the Java client
    await svc.setup()
    result = await svc.process_document(s3_key="reports/q3.pdf", docling_options={"to_formats": ["md"]})
    print(result.markdown)

and blocking (``jetmesh.blocking``) for scripts. The wire protocol is docs/PROTOCOL.md of the jetmesh repository.
"""

from .client import Batch, Job, JobResult, MeshClient, as_completed, new_job_id
from .config import MeshSettings
from .errors import (ERROR_CODES, BlobNotFoundError, JobFailedError, MeshAuthenticationError, MeshBackpressureError,
                     MeshConnectionError, MeshError, MeshTimeoutError)
from .services import DocumentResult, DocumentService, ImageService, TextService

__version__ = "0.1.0"

__all__ = [
    "Batch", "Job", "JobResult", "MeshClient", "as_completed", "new_job_id", "MeshSettings", "ERROR_CODES",
    "BlobNotFoundError", "JobFailedError", "MeshAuthenticationError", "MeshBackpressureError", "MeshConnectionError",
    "MeshError", "MeshTimeoutError", "DocumentResult", "DocumentService", "ImageService", "TextService",
]
