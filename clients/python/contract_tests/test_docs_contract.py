"""The trainer docs say one thing in every place, and their OpenRLHF example answers as printed."""

from __future__ import annotations

import json
import re
import shlex
import unittest
import urllib.request

from _trainer import HERE, README, arbiter, local, snippet

ROOT_README = HERE.parents[2] / "README.md"
HOWTO = HERE.parent / "openrlhf.md"


def table_rows(text: str, heading: str) -> list[str]:
    """The cells of the table rows (``| … |`` lines) of the section that starts at ``heading``."""
    section = text[text.index(heading):]
    section = section[: section.find("\n#", 1)]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


class DocsContractTest(unittest.TestCase):
    def test_the_version_table_is_the_same_in_both_readmes(self) -> None:
        rows = table_rows(ROOT_README.read_text(), "### Trainers")
        self.assertGreaterEqual(len(rows), 8)
        client_rows = table_rows(README.read_text(), "## Trainers")
        self.assertEqual(rows, client_rows)

    def test_the_howto_example_uses_the_tested_line(self) -> None:
        howto = HOWTO.read_text()
        url = shlex.split(snippet("openrlhf-0.10.2"))[1]
        self.assertIn(f'--reward.remote_url "{url}"', howto)

    def test_the_howto_curl_check_answers_as_printed(self) -> None:
        howto = HOWTO.read_text()
        start = howto.index("curl -s ")
        command = howto[start : howto.index("```", start)]
        words = shlex.split(command)
        url, body = local(words[2], arbiter()), words[words.index("-d") + 1]
        request = urllib.request.Request(url, body.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read().decode()
        printed = re.search(r"```json\n(.*?)\n```", howto[start:], re.S).group(1)
        self.assertEqual(json.loads(text), json.loads(printed))
        for raw in (text, printed):  # floats on the wire and on the page
            self.assertRegex(raw, r'"rewards": ?\[1\.0, ?0\.0\]')


if __name__ == "__main__":
    unittest.main()
