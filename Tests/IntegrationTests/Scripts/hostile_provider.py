"""A provider whose every word is hostile: ids, statuses, error codes, params and messages carry
terminal escape sequences (CSI, OSC with BEL, C1). judgetop must print none of them raw.

Usage: hostile_provider.py MODE   (MODE: reject-key, or batches)
Prints PORT=<n> once listening; serves until killed.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EVIL = "\x1b]0;pwned\x07\x1b[2J\x9b31m\x08\r"
MODE = sys.argv[1]
BATCH_ID = "batch_" + EVIL


def batch(status):
    return {"id": BATCH_ID, "object": "batch", "endpoint": "/v1/chat/completions", "input_file_id": "file-" + EVIL,
            "completion_window": "24h", "status": status, "created_at": 1, "request_counts": {"total": 2, "completed": 0, "failed": 0}}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status):
        self.reply(status, {"error": {"message": "denied " + EVIL, "type": "t" + EVIL, "param": "p" + EVIL, "code": "c" + EVIL}})

    def do_GET(self):
        if MODE == "reject-key":
            return self.error(401)
        if self.path.startswith("/v1/batches?"):
            return self.reply(200, {"object": "list", "data": [], "has_more": False})
        return self.error(400)  # checking the batch fails, naming its id

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path == "/v1/files":
            return self.reply(200, {"id": "file-" + EVIL, "object": "file", "bytes": length, "created_at": 1,
                                    "filename": "in.jsonl", "purpose": "batch"})
        if self.path == "/v1/batches":
            return self.reply(200, batch("validating"))
        if self.path.endswith("/cancel"):
            return self.reply(200, batch("cancelling" + EVIL))
        return self.error(404)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"PORT={server.server_address[1]}", flush=True)
server.serve_forever()
