"""The client against every example of docs/PROTOCOL.md (docs/protocol-examples/*.json): it reads each body the
mesh sends as the document says, and writes bodies with the documented fields and names."""

import json
import unittest

from jetmesh import JobFailedError, MeshClient, MeshSettings, names
from jetmesh.client import JobResult, _Pending
from jetmesh.errors import ERROR_CODES
from jetmesh.natsconn import Msg

from .support import EXAMPLES

WORKER_ONLY_ENVELOPE_FIELDS = {"root_id", "stage_index", "stages_done", "replay"}


def example(name):
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


class CapturingClient(MeshClient):
    """A client whose job publication is captured instead of sent (everything before it runs for real)."""

    def __init__(self, client_id):
        super().__init__(MeshSettings(client_id=client_id))
        self.nc = object()  # type: ignore[assignment]  # "connected" for _require; nothing is sent
        self.published = []

    async def _publish_job(self, envelope):
        self.published.append(envelope)
        return {"stream": "TEST", "seq": 1}


class ProtocolExamplesTest(unittest.IsolatedAsyncioTestCase):
    def use(self, name):
        return example(name)

    def test_every_example_is_covered(self):
        files = {p.name for p in EXAMPLES.glob("*.json")}
        self.assertGreaterEqual(len(files), 12)
        covered = {"cancel-request.json", "dead-letter.json", "job-envelope-inline.json", "job-envelope-pipeline.json",
                   "job-envelope-stage.json", "job-envelope.json", "progress-event.json", "result-completed.json",
                   "result-dead.json", "result-failed.json", "result-output-ref.json", "status-running.json"}
        self.assertEqual(files - covered, set(), "new protocol examples: make the Python client handle them here")

    async def test_completed_results(self):
        for name in ("result-completed.json", "result-output-ref.json"):
            body = self.use(name)
            c = CapturingClient("billing-app")
            p = _Pending(body["id"], asyncio_future(), c.names.result_subject(body["id"]))
            c._pending[body["id"]] = p
            c._on_result(Msg(c.names.result_subject(body["id"]), None, json.dumps(body).encode()))
            r = p.future.result()
            self.assertIsInstance(r, JobResult)
            self.assertTrue(r.succeeded)
            self.assertEqual((r.id, r.worker, r.attempts), (body["id"], body["worker"], body["attempts"]))
        ref = JobResult(example("result-output-ref.json"))
        self.assertIsNone(ref.output)
        bucket, obj = names.parse_object_uri(ref.output_ref["uri"])
        self.assertEqual(bucket, names.BLOB_BUCKET)
        self.assertTrue(obj.startswith("results/"))
        for art in ref.artifacts.values():
            self.assertEqual(names.parse_object_uri(art["uri"])[0], names.BLOB_BUCKET)

    async def test_failed_and_dead_results_raise_with_code_and_retryable(self):
        for name, status in (("result-failed.json", "failed"), ("result-dead.json", "dead")):
            body = self.use(name)
            c = CapturingClient("billing-app")
            p = _Pending(body["id"], asyncio_future(), None)
            c._pending[body["id"]] = p
            c._complete(p, json.dumps(body).encode())
            e = p.future.exception()
            self.assertIsInstance(e, JobFailedError)
            self.assertEqual((e.status, e.code, e.retryable), (status, body["error"]["code"], body["error"]["retryable"]))
            self.assertIn(e.code, ERROR_CODES)
        unknown = dict(example("result-failed.json"), error={"code": "SOMETHING_NEW", "message": "m"})
        self.assertEqual(JobFailedError(unknown).code, "INTERNAL")  # an unknown code reads as INTERNAL

    async def test_progress_event_reaches_callbacks_and_iterators(self):
        body = self.use("progress-event.json")
        c = CapturingClient("billing-app")
        seen = []
        p = _Pending(body["id"], asyncio_future(), None, listeners=[seen.append])
        c._pending[body["id"]] = p
        c._on_progress(Msg(f"jetmesh.progress.billing-app.{body['id']}", None, json.dumps(body).encode()))
        self.assertEqual(seen, [body])
        self.assertEqual(c.names.progress_wildcard(), "jetmesh.progress.billing-app.*")

    def test_status_record_names_the_result_subject_as_the_client_does(self):
        body = self.use("status-running.json")
        client = body["result_subject"].split(".")[2]
        self.assertEqual(names.Names(client).result_subject(body["id"]), body["result_subject"])
        self.assertEqual(names.kv_subject(names.STATUS_BUCKET, names.Names(client).status_key(body["id"])),
                         f"$KV.jetmesh-status.{client}.{body['id']}")
        self.assertIn(body["state"], ("queued", "running"))

    async def test_cancel_request_has_the_documented_fields(self):
        want = self.use("cancel-request.json")
        c = CapturingClient("billing-app")
        sent = []

        class FakeJs:
            async def kv_get(self, bucket, key):  # no status record: the job is this client's own
                return None

            async def direct_get_last(self, stream, subject):
                return None

            async def kv_put(self, bucket, key, value):
                sent.append((bucket, key, json.loads(value)))
                return 1
        c.js = FakeJs()  # type: ignore[assignment]
        await c.cancel(want["id"])
        bucket, key, body = sent[0]
        self.assertEqual((bucket, key), (names.CANCEL_BUCKET, f"billing-app.{want['id']}"))
        self.assertEqual(set(body), set(want))
        self.assertEqual(body["reason"], want["reason"])

    async def test_envelopes_the_client_writes_match_the_examples(self):
        cases = {
            "job-envelope.json": lambda c, e: c.submit(e["subject"], input_uri=e["input"]["uri"],
                                                       name=e["input"]["name"],
                                                       content_type=e["input"]["content_type"], options=e["options"],
                                                       timeout=e["timeout_ms"] / 1000, job_id=e["id"]),
            "job-envelope-inline.json": lambda c, e: c.submit(e["subject"], data=__import__("base64").b64decode(
                e["input"]["data"]), name=e["input"]["name"], content_type=e["input"]["content_type"], job_id=e["id"]),
            "job-envelope-pipeline.json": lambda c, e: c.submit(e["subject"], input_uri=e["input"]["uri"],
                                                                name=e["input"]["name"], options=e["options"],
                                                                pipeline=e["pipeline"], job_id=e["id"]),
        }
        for name, submit in cases.items():
            with self.subTest(example=name):
                want = self.use(name)
                c = CapturingClient(want["client"])
                await submit(c, want)
                got = c.published[0]
                self.assertEqual(set(got), set(want))
                for k in want:
                    if k != "submitted_at":
                        self.assertEqual(got[k], want[k], k)
        # worker-written envelopes (a pipeline stage, a dead letter's) carry only fields the client knows or ignores
        stage = self.use("job-envelope-stage.json")
        self.assertEqual(set(stage) - set(example("job-envelope-pipeline.json")), WORKER_ONLY_ENVELOPE_FIELDS - {"replay"})
        dead = self.use("dead-letter.json")
        self.assertLessEqual(set(dead["envelope"]), set(example("job-envelope.json")))
        self.assertEqual(names.Names(dead["envelope"]["client"]).result_subject(dead["id"]),
                         f"jetmesh.results.{dead['envelope']['client']}.{dead['id']}")


def asyncio_future():
    import asyncio
    return asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    unittest.main()
