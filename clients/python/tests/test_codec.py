"""The JSON codecs: orjson (when importable; ``deno task test`` installs it) and the standard
library give the same results, item by item, for the inputs where they differ most."""

from __future__ import annotations

import math
import unittest
from unittest import mock

from _support import arbiter

from arbiter_client import ArbiterClient, _batching


def without_timing(results: list) -> list:
    return [{k: v for k, v in r.items() if k != "ms"} for r in results]


ITEMS = [
    {"id": "plain", "verifier": "math", "response": "so \\boxed{72}", "reference": "72"},
    {"id": "unicode", "verifier": "math", "response": "ré­sumé ✓ \\boxed{½}", "reference": "1/2"},
    {"id": "surrogate", "verifier": "math", "response": "bad \ud800 text \\boxed{3}", "reference": "3"},
    {"id": "null-word", "verifier": "math", "response": "null is not \\boxed{0}", "reference": 0},
    {"id": "null-value", "verifier": "math", "response": "\\boxed{1}", "reference": "1", "options": None},
    {"id": "nan", "verifier": "math", "response": "\\boxed{1}", "reference": "1", "options": {"tolerance": math.nan}},
    {"id": "inf", "verifier": "math", "response": "\\boxed{1}", "reference": math.inf},
    {"id": "big-int", "verifier": "math", "response": "\\boxed{1180591620717411303424}", "reference": 2**70},
    {"id": "float", "verifier": "math", "response": "\\boxed{0.1}", "reference": 0.1},
]


class CodecTest(unittest.TestCase):
    def test_orjson_is_in_use_here(self) -> None:
        self.assertEqual(_batching.json_codec(), "orjson", "deno task test installs orjson into the venv")

    def test_both_codecs_give_identical_results(self) -> None:
        fast = ArbiterClient(arbiter()).verify_batch(ITEMS)
        with mock.patch.object(_batching, "_orjson", None):
            self.assertEqual(_batching.json_codec(), "json")
            slow = ArbiterClient(arbiter()).verify_batch(ITEMS)
        self.assertEqual(without_timing(fast), without_timing(slow))
        by_id = {r.get("id"): r for r in fast}
        self.assertEqual([by_id[i]["reward"] for i in ("plain", "surrogate", "null-word", "float")], [1, 1, 1, 1])
        self.assertIsNone(by_id["big-int"]["error"])  # sent (by the standard library), scored
        for refused in ("nan", "inf"):
            self.assertEqual(by_id[refused]["error"]["code"], "invalid_request")
            self.assertIn("not JSON", by_id[refused]["error"]["message"])

    def test_both_codecs_encode_to_the_same_json_value(self) -> None:
        for item in ITEMS:
            with self.subTest(item["id"]):
                fast = _batching.encode_item(item)
                with mock.patch.object(_batching, "_orjson", None):
                    slow = _batching.encode_item(item)
                self.assertEqual(type(fast), type(slow))
                if isinstance(fast, bytes):
                    decoded = [_batching.decode_json(data, "test") for data in (fast, slow)]
                    self.assertEqual(decoded[0], decoded[1])
                else:
                    self.assertEqual(fast, slow)  # the same refusal message

    def test_decoding_server_text_with_lone_surrogate_escapes(self) -> None:
        body = b'{"results":[{"reward":1,"details":{"extracted":"\\ud800"},"error":null}]}'
        fast = _batching.decode_json(body, "test")
        with mock.patch.object(_batching, "_orjson", None):
            slow = _batching.decode_json(body, "test")
        self.assertEqual(fast, slow)
        self.assertEqual(fast["results"][0]["details"]["extracted"], "\ud800")


if __name__ == "__main__":
    unittest.main()
