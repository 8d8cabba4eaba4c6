"""The official openai Python SDK against `judgetop serve-sim`: every call a user's script would make.

openai_sdk_check.py BASE_URL API_KEY STRICT_URL   (needs: pip install openai). Prints OK and exits 0 when all hold.
STRICT_URL is a simulator started with two models only (small-model, judge-model) and the openai flavour.
"""
import io
import json
import sys
import time

import openai
from openai import OpenAI

base_url, api_key, strict_url = sys.argv[1:4]
client = OpenAI(base_url=base_url, api_key=api_key, max_retries=0)
strict = OpenAI(base_url=strict_url, api_key=api_key, max_retries=0)


def line(custom_id, content="A detective hunts a killer.", url="/v1/chat/completions"):
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": url,
                       "body": {"model": "m", "messages": [{"role": "user", "content": content}]}})


def upload(lines):
    data = ("\n".join(lines) + "\n").encode()
    return client.files.create(file=("input.jsonl", io.BytesIO(data)), purpose="batch")


def wait(batch_id):
    for _ in range(600):
        batch = client.batches.retrieve(batch_id)
        if batch.status in ("completed", "failed", "expired", "cancelled"):
            return batch
        time.sleep(0.05)
    raise AssertionError(f"batch {batch_id} never finished")


# Upload, create, poll, download.
uploaded = upload([line(f"req-{i}") for i in range(3)])
assert uploaded.purpose == "batch" and uploaded.status == "processed", uploaded
batch = client.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                              completion_window="24h", metadata={"who": "sdk"})
assert batch.status == "validating", batch.status
batch = wait(batch.id)
assert batch.status == "completed" and batch.request_counts.completed == 3, batch
content = client.files.content(batch.output_file_id).content.decode()
ids = sorted(json.loads(l)["custom_id"] for l in content.splitlines() if l)
assert ids == ["req-0", "req-1", "req-2"], ids

# List with pagination: the SDK follows `after` until has_more is false.
for i in range(3):
    client.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h")
listed = [b.id for b in client.batches.list(limit=1)]
assert len(listed) == 4 and len(set(listed)) == 4, listed

# Cancel a finished batch: 409. Unknown ids: 404.
try:
    client.batches.cancel(batch.id)
    raise AssertionError("cancelling a completed batch should be a 409")
except openai.ConflictError as e:
    assert "Cannot cancel a batch with status 'completed'" in str(e), e
for call in (lambda: client.batches.retrieve("batch_unknown"), lambda: client.files.retrieve("file-unknown")):
    try:
        call()
        raise AssertionError("unknown id should be a 404")
    except openai.NotFoundError:
        pass

# Cancel a running batch: cancelling, then cancelled.
big = upload([line(f"big-{i}") for i in range(2000)])
running = client.batches.create(input_file_id=big.id, endpoint="/v1/chat/completions", completion_window="24h")
cancelling = client.batches.cancel(running.id)
assert cancelling.status == "cancelling", cancelling.status
assert wait(running.id).status == "cancelled"

# A failed validation names the bad line.
bad = upload([line("ok-1"), "{not json", line("ok-3", url="/v1/embeddings")])
failed = wait(client.batches.create(input_file_id=bad.id, endpoint="/v1/chat/completions", completion_window="24h").id)
assert failed.status == "failed", failed.status
assert [(e.line, e.code) for e in failed.errors.data] == [(2, "invalid_json_line"), (3, "invalid_url")], failed.errors

# A chat completion.
chat = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "Aliens invade a planet in space."}])
assert chat.choices[0].message.content, chat
assert chat.usage.prompt_tokens > 0

# A message without a role is refused as OpenAI refuses it; in a batch, that line alone fails.
try:
    client.chat.completions.create(model="m", messages=[{"content": "hi"}])
    raise AssertionError("a message without a role should be a 400")
except openai.BadRequestError as e:
    assert e.code == "missing_required_parameter" and e.param == "messages[0].role", (e.code, e.param)
roleless = json.dumps({"custom_id": "no-role", "method": "POST", "url": "/v1/chat/completions",
                       "body": {"model": "m", "messages": [{"content": "x"}]}})
mixed = wait(client.batches.create(input_file_id=upload([line("fine"), roleless]).id, endpoint="/v1/chat/completions",
                                   completion_window="24h").id)
assert mixed.status == "completed" and mixed.request_counts.failed == 1, mixed
failed_line = json.loads(client.files.content(mixed.error_file_id).content.decode().splitlines()[0])
assert failed_line["custom_id"] == "no-role" and failed_line["response"]["status_code"] == 400, failed_line

# The Responses API, as tools such as Inspect AI call it.
response = client.responses.create(model="m", instructions="Name the genre.", input="A detective hunts a killer.")
assert response.status == "completed" and response.output_text, response

# Models: any name is served by default; a simulator given --models lists and serves those only.
assert "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo" in [m.id for m in client.models.list()]
assert [m.id for m in strict.models.list()] == ["small-model", "judge-model"]
try:
    strict.chat.completions.create(model="gpt-unknown", messages=[{"role": "user", "content": "hi"}])
    raise AssertionError("an unknown model should be a 404")
except openai.NotFoundError as e:
    assert e.code == "model_not_found", e.code
strict_file = strict.files.create(file=("input.jsonl", io.BytesIO((line("x") + "\n").encode())), purpose="batch")
try:
    strict.batches.create(input_file_id=strict_file.id, endpoint="/v1/chat/completions", completion_window="48h")
    raise AssertionError("the openai flavour accepts only a 24h window")
except openai.BadRequestError as e:
    assert e.param == "completion_window" and "'48h'" in str(e), e
try:
    strict.files.create(file=("input.csv", io.BytesIO(b"a,b\n")), purpose="batch")
    raise AssertionError("a batch file must be .jsonl")
except openai.BadRequestError as e:
    assert "Must be .jsonl" in str(e), e

# File listing and deletion.
assert uploaded.id in [f.id for f in client.files.list()]
assert client.files.delete(uploaded.id).deleted
print("OK")
