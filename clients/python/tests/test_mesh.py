"""The client against a real mesh (nats-server, provisioned, diag/pdf/text/image workers, S3 through s3proxy), as
PythonClientTest starts it in scripts/test. Set JETMESH_TEST_MESH=1 and NATS_URL/NATS_TOKEN to run these against
``jetmesh dev``; the S3 tests also need JETMESH_S3_BUCKET and JETMESH_TEST_S3_KEY (a PDF showing
JETMESH_TEST_S3_TEXT)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path
from urllib.parse import urlsplit

from jetmesh import (DocumentService, ImageService, JobFailedError, MeshClient, MeshError, TextService, as_completed,
                     blocking, names)
from jetmesh.jetstream import CHUNK_SIZE

from . import samples
from .support import CuttableProxy, require_mesh

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def s3_case():
    key = os.environ.get("JETMESH_TEST_S3_KEY")
    if not key or not os.environ.get("JETMESH_S3_BUCKET"):
        if os.environ.get("JETMESH_TEST_REQUIRE"):
            raise AssertionError("JETMESH_TEST_S3_KEY / JETMESH_S3_BUCKET not set but JETMESH_TEST_REQUIRE=1")
        raise unittest.SkipTest("no S3 document under test (JETMESH_S3_BUCKET, JETMESH_TEST_S3_KEY)")
    return key, os.environ.get("JETMESH_TEST_S3_TEXT", "")


class MeshTestCase(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.settings = require_mesh()
        self.client = await MeshClient.connect(self.settings)
        self.addAsyncCleanup(self.client.close)
        self.tmp = Path(tempfile.mkdtemp(prefix="jetmesh-py-test-"))

    async def wait_state(self, job_id: str, state: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = await self.client.status(job_id)
            if last and last.get("state") == state:
                return last
            await asyncio.sleep(0.1)
        self.fail(f"job {job_id} never reached {state}: {last}")


class JobsTest(MeshTestCase):
    async def test_round_trip_with_an_inline_input(self):
        job = await self.client.submit("diag.echo", data=b"hello mesh", name="h.txt", options={"k": 1})
        r = await job.result(60)
        self.assertTrue(r.succeeded)
        self.assertEqual(r.id, job.job_id)
        self.assertEqual(r.output["size"], 10)
        self.assertEqual(r.output["sha256"], hashlib.sha256(b"hello mesh").hexdigest())
        self.assertEqual(r.output["options"], {"k": 1})
        self.assertEqual(r.attempts, 1)
        self.assertTrue(r.worker)

    async def test_failed_job_raises_with_the_protocol_code_and_retryable(self):
        job = await self.client.submit("diag.fail", data=b"x",
                                       options={"code": "UNSUPPORTED", "message": "encrypted, give a password"})
        with self.assertRaises(JobFailedError) as cm:
            await job.result(60)
        e = cm.exception
        self.assertEqual((e.code, e.status, e.retryable, e.job_id), ("UNSUPPORTED", "failed", False, job.job_id))
        self.assertIn("give a password", e.error_message)
        st = await self.client.status(job.job_id)
        self.assertEqual(st["state"], "failed")
        self.assertEqual(st["error"]["code"], "UNSUPPORTED")
        stored = await self.client.result(job.job_id)
        self.assertEqual(stored.status, "failed")

    async def test_cancelled_job(self):
        job = await self.client.submit("diag.sleep", data=b"x", options={"ms": 60000})
        await self.wait_state(job.job_id, "running")
        await job.cancel()
        with self.assertRaises(JobFailedError) as cm:
            await job.result(60)
        self.assertEqual((cm.exception.status, cm.exception.code), ("cancelled", "CANCELLED"))
        st = await self.client.status(job.job_id)
        self.assertEqual(st["state"], "cancelled")
        self.assertTrue(st["cancel_requested"])

    async def test_unknown_job_has_no_status_and_no_result(self):
        self.assertIsNone(await self.client.status("NO_SUCH_JOB_" + str(os.getpid())))
        self.assertIsNone(await self.client.result("NO_SUCH_JOB_" + str(os.getpid())))

    async def test_status_while_queued_and_running_then_completed(self):
        job = await self.client.submit("diag.sleep", data=b"x", options={"ms": 3000})
        st = await self.client.status(job.job_id)
        self.assertIn(st["state"], ("queued", "running"))
        self.assertEqual(st["result_subject"], self.client.names.result_subject(job.job_id))
        running = await self.wait_state(job.job_id, "running")
        self.assertTrue(running["worker"])
        await job.result(60)
        self.assertEqual((await self.client.status(job.job_id))["state"], "completed")

    async def test_progress_callback_and_async_iterator(self):
        seen = []
        job = await self.client.submit("diag.sleep", data=b"x", options={"ms": 1500}, progress=seen.append)
        events = [ev async for ev in job.events()]
        r = await job.result(60)
        self.assertEqual(r.output["slept_ms"], 1500)
        self.assertTrue(events, "no progress event reached the iterator")
        self.assertTrue(seen, "no progress event reached the callback")
        for ev in events:
            self.assertEqual(ev["id"], job.job_id)
            self.assertEqual(ev["progress"]["total"], 1500)
        currents = [ev["progress"]["current"] for ev in events]
        self.assertEqual(currents, sorted(currents))

    async def test_duplicate_submission_is_stored_and_answered_once(self):
        job_id = f"dup-{time.time_ns()}"
        # a second process of the same client resubmits the same id (e.g. after a crash): one job, one result
        other = await MeshClient.connect(self.settings)
        self.addAsyncCleanup(other.close)
        first = await self.client.submit("diag.sleep", data=b"x", options={"ms": 800}, job_id=job_id)
        again = await other.submit("diag.sleep", data=b"x", options={"ms": 800}, job_id=job_id)
        same_client_again = await self.client.submit("diag.sleep", data=b"x", job_id=job_id)
        r1, r2, r3 = await first.result(60), await again.result(60), await same_client_again.result(60)
        self.assertEqual(r1.raw, r2.raw)
        self.assertEqual(r1.raw, r3.raw)
        self.assertEqual(r1.attempts, 1)
        info = await self.client.js.api(f"$JS.API.STREAM.INFO.{names.RESULTS_STREAM}",
                                        {"subjects_filter": self.client.names.result_subject(job_id)})
        self.assertEqual(info["state"]["subjects"], {self.client.names.result_subject(job_id): 1})
        # the job itself was stored once too (a second execution would have written a second result)
        await asyncio.sleep(1.5)
        info = await self.client.js.api(f"$JS.API.STREAM.INFO.{names.RESULTS_STREAM}",
                                        {"subjects_filter": self.client.names.result_subject(job_id)})
        self.assertEqual(info["state"]["subjects"], {self.client.names.result_subject(job_id): 1})

    async def test_a_status_records_result_subject_is_never_followed(self):
        # T3 of the threat model: the owner of a job is the client of its status key. A record whose result_subject
        # points at another client's result (here a result stored for client "victim") must not make the client
        # serve that result as this job's.
        job_id = f"forged-{time.time_ns()}"
        victim = names.Names(client="victim").result_subject(job_id)
        await self.client.js.publish(victim, json.dumps({"v": 1, "id": job_id, "subject": "diag.noop",
                                                         "status": "completed", "output": {"secret": 1}}).encode())
        record = {"v": 1, "id": job_id, "state": "queued", "subject": "diag.noop", "result_subject": victim,
                  "attempts": 0, "submitted_at": "2026-12-02T00:00:00Z", "updated_at": "2026-12-02T00:00:00Z"}
        await self.client.js.kv_put(self.client.names.status_bucket, self.client.names.status_key(job_id),
                                    json.dumps(record).encode())
        self.assertIsNone(await self.client.result(job_id))
        st = await self.client.status(job_id)
        self.assertEqual(st["state"], "queued")

    async def test_job_handle_by_id_from_another_client(self):
        job = await self.client.submit("diag.sleep", data=b"x", options={"ms": 1000})
        other = await MeshClient.connect(self.settings.with_(client_id="observer" + str(os.getpid())))
        self.addAsyncCleanup(other.close)
        r = await other.job(job.job_id).result(60)
        self.assertEqual(r.id, job.job_id)
        self.assertEqual((await other.result(job.job_id)).raw, r.raw)

    async def test_batch_keeps_in_flight_jobs_bounded(self):
        batch = self.client.batch(3)
        unfinished_max = 0
        for i in range(9):
            await batch.submit("diag.sleep", data=b"x", options={"ms": 150})
            unfinished_max = max(unfinished_max, sum(not j.done() for j in batch.jobs))
        jobs = await batch.wait()
        self.assertLessEqual(unfinished_max, 3)
        self.assertEqual((batch.completed, batch.failed, len(jobs)), (9, 0, 9))
        seen = [j.job_id async for j in as_completed(jobs)]
        self.assertEqual(sorted(seen), sorted(j.job_id for j in jobs))

    async def test_submission_to_an_unknown_service_fails_visibly(self):
        with self.assertRaisesRegex(MeshError, "no stream takes|no JetStream responder"):
            await self.client.submit("nosuch.service.op", data=b"x")


class ReconnectTest(MeshTestCase):
    async def test_jobs_in_flight_survive_a_network_partition(self):
        target = urlsplit(self.settings.servers[0])
        proxy = await CuttableProxy(target.hostname, target.port or 4222).start()
        self.addAsyncCleanup(proxy.close)
        client = await MeshClient.connect(self.settings.with_(servers=[proxy.url], reconnect_wait=0.1,
                                                              client_id="partitioned" + str(os.getpid())))
        self.addAsyncCleanup(client.close)
        jobs = [await client.submit("diag.sleep", data=b"x", options={"ms": 300 + 50 * i}) for i in range(12)]
        proxy.cut_all()  # the results are published while this client cannot hear them
        await asyncio.sleep(3)
        self.assertFalse(client.nc.is_connected)
        proxy.restore()
        results = [await j.result(90) for j in jobs]
        self.assertTrue(all(r.succeeded for r in results))
        self.assertGreaterEqual(client.nc.reconnects, 1)
        # and new work flows through the reconnected client
        self.assertTrue((await (await client.submit("diag.noop", data=b"x")).result(60)).succeeded)

    async def test_a_dropped_connection_during_submissions(self):
        client = await MeshClient.connect(self.settings.with_(reconnect_wait=0.05))
        self.addAsyncCleanup(client.close)
        jobs = []
        for i in range(20):
            jobs.append(await client.submit("diag.sleep", data=b"x", options={"ms": 100}))
            if i in (5, 12):
                client.nc.drop()
        for j in jobs:
            self.assertTrue((await j.result(90)).succeeded)
        self.assertGreaterEqual(client.nc.reconnects, 2)


class BlobTest(MeshTestCase):
    async def test_object_store_round_trip_above_one_chunk(self):
        data = os.urandom(3 * CHUNK_SIZE + 17)
        ref = await self.client.upload_bytes(data, f"tests/py-{time.time_ns()}.bin", "application/octet-stream")
        self.assertEqual(ref["size"], len(data))
        self.assertEqual(ref["sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual(await self.client.get_blob(ref["uri"]), data)
        # a worker (Java) reads the object this client wrote, chunk by chunk, digest checked
        r = await (await self.client.submit("diag.echo", input_uri=ref["uri"])).result(60)
        self.assertEqual((r.output["size"], r.output["sha256"]), (len(data), ref["sha256"]))
        # and this client saves it to a file
        saved = await self.client.save_blob(ref["uri"], self.tmp / "copy.bin")
        self.assertEqual(saved.read_bytes(), data)

    async def test_large_output_is_fetched_transparently(self):
        job = await self.client.submit("diag.echo", data=b"abc", options={"output_bytes": 400_000})
        r = await job.result(60)
        self.assertIsNone(r.output)
        self.assertTrue(r.output_ref["uri"].startswith("nats-object://"))
        out = await job.output()
        self.assertEqual(len(out["padding"]), 400_000)
        self.assertEqual(out["size"], 3)
        blob = await self.client.get_blob(r.output_ref["uri"])
        self.assertEqual(hashlib.sha256(blob).hexdigest(), r.output_ref["sha256"])

    async def test_large_inline_input_is_uploaded_instead(self):
        data = os.urandom(self.client.max_inline_size + 1)
        r = await (await self.client.submit("diag.echo", data=data)).result(60)
        self.assertEqual(r.output["sha256"], hashlib.sha256(data).hexdigest())

    async def test_missing_object_is_input_not_found(self):
        with self.assertRaises(JobFailedError) as cm:
            await (await self.client.submit("diag.echo", input_uri="nats-object://jetmesh-blobs/nope/missing.bin")
                   ).result(60)
        self.assertEqual(cm.exception.code, "INPUT_NOT_FOUND")


class ServicesTest(MeshTestCase):
    async def test_seed_shape_with_a_bare_s3_key(self):
        key, text = s3_case()
        svc = DocumentService(self.settings)
        await svc.setup()
        self.addAsyncCleanup(svc.close)
        result = await svc.process_document(s3_key=key, docling_options={"to_formats": ["md", "json"]})
        self.assertIn(text, result.markdown)
        self.assertEqual(result["markdown"], result.markdown)
        self.assertEqual(result.pages, 1)
        self.assertIsNotNone(result.document)
        self.assertEqual((await svc.status(result.job_id))["state"], "completed")
        self.assertEqual((await svc.result(result.job_id)).id, result.job_id)

    async def test_process_many_yields_each_document_and_failures_per_document(self):
        key, text = s3_case()
        svc = DocumentService(client=self.client)
        got = {}
        async for k, r in svc.process_many([key, "missing/nope.pdf", key], {"to_formats": ["md"]}, max_in_flight=2):
            got.setdefault(k, []).append(r)
        self.assertEqual(len(got[key]), 2)
        self.assertTrue(all(text in r.markdown for r in got[key]))
        self.assertIsInstance(got["missing/nope.pdf"][0], JobFailedError)
        self.assertEqual(got["missing/nope.pdf"][0].code, "INPUT_NOT_FOUND")

    async def test_process_file_and_convert(self):
        pdf = self.tmp / "hello.pdf"
        pdf.write_bytes(samples.pdf_with_text("Hello from Python"))
        async with DocumentService(client=self.client) as svc:
            seen = []
            r = await svc.process_file(pdf, {"to_formats": ["md"]}, progress=seen.append)
            self.assertIn("Hello from Python", r.markdown)
            r2 = await svc.convert(str(pdf), {"to_formats": ["text"]})
            self.assertIn("Hello from Python", r2.text)
            ref = await self.client.upload(pdf)
            r3 = await svc.convert(ref["uri"], {"to_formats": ["md"]})
            self.assertIn("Hello from Python", r3.markdown)
            meta = await svc.metadata(pdf)
            self.assertEqual(meta["page_count"], 1)

    async def test_convert_chunk_embed_pipeline(self):
        pdf = self.tmp / "pipeline.pdf"
        pdf.write_bytes(samples.pdf_with_text("Pipelines run convert chunk and embed"))
        r = await DocumentService(client=self.client).convert_chunk_embed(pdf, {"to_formats": ["json"]},
                                                                        {"max_tokens": 64})
        self.assertEqual([st["subject"] for st in r.stages],
                         ["pdf.docling.convert", "text.analyze.chunk", "text.analyze.embed"])
        out = await self.client.output(r)
        self.assertEqual(out["count"], len(out["embeddings"]))
        self.assertGreaterEqual(out["count"], 1)
        self.assertIn("Pipelines run convert", out["embeddings"][0]["text"])

    async def test_a_damaged_pdf_fails_with_invalid_input(self):
        bad = self.tmp / "broken.pdf"
        bad.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
        with self.assertRaises(JobFailedError) as cm:
            await DocumentService(client=self.client).process_file(bad)
        self.assertEqual(cm.exception.code, "INVALID_INPUT")
        self.assertFalse(cm.exception.retryable)

    async def test_bare_key_without_a_default_bucket_is_refused(self):
        svc = DocumentService(client=self.client)
        svc.settings = self.settings.with_(s3_bucket=None)
        with self.assertRaisesRegex(ValueError, "JETMESH_S3_BUCKET"):
            await svc.process_document(s3_key="reports/q3.pdf")
        with self.assertRaisesRegex(ValueError, "no such file 'no/such/file.pdf'"):
            await svc.convert("no/such/file.pdf")

    async def test_text_service(self):
        svc = TextService(client=self.client)
        lang = await svc.language("Bonjour tout le monde. Nous sommes très heureux de vous présenter notre nouveau "
                                  "rapport trimestriel, qui montre une croissance des ventes dans toutes les régions "
                                  "et une amélioration de la satisfaction de nos clients.")
        self.assertEqual(lang["iso639_1"], "fr", lang)
        stats = await svc.stats("one two three")
        self.assertEqual((stats["words"], stats["sentences"]), (3, 1))

    async def test_image_service(self):
        img = self.tmp / "red.png"
        img.write_bytes(samples.png(40, 30))
        meta = await ImageService(client=self.client).metadata(img)
        self.assertEqual((meta["width"], meta["height"]), (40, 30), meta)


class BlockingAndCliTest(MeshTestCase):
    async def test_blocking_facade(self):
        def work():
            svc = blocking.TextService(self.settings)
            svc.setup()
            try:
                return svc.stats("alpha beta gamma delta")
            finally:
                svc.close()
        stats = await asyncio.get_running_loop().run_in_executor(None, work)
        self.assertEqual(stats["words"], 4)

    async def test_blocking_process_many_is_an_ordinary_iterator(self):
        uris = []
        for i in range(3):
            pdf = self.tmp / f"many-{i}.pdf"
            pdf.write_bytes(samples.pdf_with_text(f"Document number {i}"))
            uris.append((await self.client.upload(pdf))["uri"])

        def work():
            with blocking.DocumentService(self.settings) as svc:
                return {k: r.markdown for k, r in svc.process_many(uris, {"to_formats": ["md"]}, max_in_flight=2)}
        got = await asyncio.get_running_loop().run_in_executor(None, work)
        self.assertEqual(set(got), set(uris))
        for i, uri in enumerate(uris):
            self.assertIn(f"Document number {i}", got[uri])

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(PACKAGE_DIR)
        return subprocess.run([sys.executable, "-m", "jetmesh", *args], capture_output=True, text=True, env=env,
                              timeout=timeout)

    async def test_cli_submit_status_result_cancel_convert(self):
        loop = asyncio.get_running_loop()
        run = lambda *a: loop.run_in_executor(None, lambda: self.cli(*a))  # noqa: E731
        sub = await run("submit", "diag.echo", "--text", "hi", "--options", '{"x":2}')
        self.assertEqual(sub.returncode, 0, sub.stderr)
        job_id = sub.stdout.strip()
        self.assertTrue(names.is_token(job_id))
        res = await run("result", job_id, "--wait")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(json.loads(res.stdout)["status"], "completed")
        st = await run("status", job_id)
        self.assertEqual(json.loads(st.stdout)["state"], "completed")
        failed = await run("submit", "diag.fail", "--text", "x", "--options", '{"code":"TOO_LARGE"}', "--wait")
        self.assertEqual(failed.returncode, 1)
        self.assertIn("TOO_LARGE", failed.stderr)
        long = await run("submit", "diag.sleep", "--text", "x", "--options", '{"ms":60000}')
        long_id = long.stdout.strip()
        await self.wait_state(long_id, "running")
        self.assertEqual((await run("cancel", long_id)).returncode, 0)
        res = await run("result", long_id, "--wait")
        self.assertEqual(res.returncode, 1)
        self.assertEqual(json.loads(res.stdout)["status"], "cancelled")
        self.assertEqual((await run("status", "NO_SUCH_JOB_CLI")).returncode, 4)
        pdf = self.tmp / "cli.pdf"
        pdf.write_bytes(samples.pdf_with_text("Converted on the command line"))
        conv = await run("convert", str(pdf), "--to", "md")
        self.assertEqual(conv.returncode, 0, conv.stderr)
        self.assertIn("Converted on the command line", conv.stdout)


if __name__ == "__main__":
    unittest.main()
