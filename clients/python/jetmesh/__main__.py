"""``python -m jetmesh``: submit, status, result, cancel and convert from scripts.

Connection settings come from NATS_URL, NATS_TOKEN(_FILE), NATS_USER/NATS_PASSWORD, NATS_CREDS,
NATS_NKEY_SEED_FILE, NATS_TLS_CA/CERT/KEY, JETMESH_CLIENT_ID, JETMESH_S3_BUCKET and a .env file, or the options.
Exit status: 0 success, 1 the job failed (code and message on stderr), 2 usage error, 3 the mesh could not be
reached or answered an error, 4 no such job (status/result).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from .client import MeshClient
from .config import MeshSettings
from .errors import JobFailedError, MeshError
from .services import DocumentService

EXIT_FAILED, EXIT_USAGE, EXIT_MESH, EXIT_UNKNOWN = 1, 2, 3, 4


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m jetmesh", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nats-url", help="NATS server URL(s), comma-separated (env NATS_URL)")
    p.add_argument("--token", help="NATS token (env NATS_TOKEN; prefer NATS_TOKEN_FILE)")
    p.add_argument("--client-id", help="result routing token of this client (env JETMESH_CLIENT_ID)")
    p.add_argument("--s3-bucket", help="bucket for bare input keys (env JETMESH_S3_BUCKET)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("submit", help="submit a job; prints its id (or, with --wait, its output)")
    s.add_argument("subject", help="job subject <subject_prefix>.<operation>, e.g. pdf.docling.convert")
    src = s.add_mutually_exclusive_group(required=True)
    src.add_argument("--input", help="s3://bucket/key, nats-object://bucket/name, or a bare key")
    src.add_argument("--file", type=Path, help="local file, uploaded to the mesh's object store")
    src.add_argument("--text", help="small inline text input")
    s.add_argument("--options", default=None, help="operation options as a JSON object")
    s.add_argument("--timeout", type=float, default=None, help="job time limit in seconds")
    s.add_argument("--job-id", default=None, help="job id (default: a new one); resubmitting an id is safe")
    s.add_argument("--wait", action="store_true", help="wait for the result and print the output JSON")

    for name, helptext in (("status", "print a job's status JSON"), ("result", "print a job's stored result JSON"),
                           ("cancel", "ask the mesh to cancel a job")):
        c = sub.add_parser(name, help=helptext)
        c.add_argument("job_id")
        if name == "result":
            c.add_argument("--wait", action="store_true", help="wait until the job has a result")
            c.add_argument("--output", action="store_true", help="print only the output (fetched when stored by reference)")

    v = sub.add_parser("convert", help="convert a document (local file, reference or bare key) and print the export")
    v.add_argument("source")
    v.add_argument("--to", default="md", choices=["md", "json", "text", "html", "doctags"], help="output format")
    v.add_argument("--options", default=None, help="more docling options as a JSON object")
    v.add_argument("--out", type=Path, default=None, help="write to this file instead of stdout")
    v.add_argument("--timeout", type=float, default=None, help="job time limit in seconds")
    return p


def _settings(args: argparse.Namespace) -> MeshSettings:
    over: Dict[str, Any] = {}
    if args.nats_url:
        over["servers"] = [u.strip() for u in args.nats_url.split(",") if u.strip()]
    if args.token:
        over["token"] = args.token
    if args.client_id:
        over["client_id"] = args.client_id
    if args.s3_bucket:
        over["s3_bucket"] = args.s3_bucket
    return MeshSettings.from_env(**over)


def _options(text: Optional[str]) -> Optional[Dict[str, Any]]:
    if text is None:
        return None
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("--options must be a JSON object")
    return value


def _print(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


async def _run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.command == "convert":
        opts = _options(args.options) or {}
        opts.setdefault("to_formats", [args.to])
        async with DocumentService(settings) as svc:
            r = await svc.convert(args.source, opts, timeout=args.timeout)
        key = {"md": "markdown", "json": "document"}.get(args.to, args.to)
        value = r.output.get(key)
        text = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)
        if args.out:
            args.out.write_text(text, encoding="utf-8")
            print(f"{r.job_id}: wrote {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    async with MeshClient(settings) as client:
        if args.command == "submit":
            src: Dict[str, Any] = {}
            if args.input:
                src["input_uri"] = settings.resolve_input(args.input)
            elif args.file:
                src["file"] = args.file
            else:
                src.update(data=args.text.encode("utf-8"), name="input.txt", content_type="text/plain; charset=utf-8")
            job = await client.submit(args.subject, options=_options(args.options), timeout=args.timeout,
                                      job_id=args.job_id, **src)
            if not args.wait:
                print(job.job_id)
                return 0
            print(job.job_id, file=sys.stderr)
            _print(await client.output(await job))
            return 0
        if args.command == "status":
            st = await client.status(args.job_id)
            if st is None:
                print(f"no job {args.job_id} (unknown, or expired after mesh.result_ttl)", file=sys.stderr)
                return EXIT_UNKNOWN
            _print(st)
            return 0
        if args.command == "result":
            if args.wait:
                r = await client.job(args.job_id)
            else:
                r = await client.result(args.job_id)
                if r is None:
                    print(f"no result for {args.job_id} yet (see 'status')", file=sys.stderr)
                    return EXIT_UNKNOWN
            _print(await client.output(r) if args.output else r.raw)
            return 0 if r.succeeded else EXIT_FAILED
        if args.command == "cancel":
            await client.cancel(args.job_id)
            print(f"cancel requested for {args.job_id}", file=sys.stderr)
            return 0
    return EXIT_USAGE


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(_run(args))
    except JobFailedError as e:
        if args.command == "result":
            _print(e.result)
        print(f"job {e.job_id} {e.status}: {e.code}: {e.error_message}"
              f"{' (retryable)' if e.retryable else ''}", file=sys.stderr)
        return EXIT_FAILED
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except MeshError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_MESH
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
