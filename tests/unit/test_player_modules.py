"""The player's JS is a few modules by topic (#20.3), joined into the one served component."""

import re
from collections import Counter

from ksf_review.ui import player

METHOD = re.compile(r"^  ([a-zA-Z_]+)\(.*\) \{$", re.M)


def _method_lengths(js: str) -> dict[str, int]:
    lines = js.split("\n")
    out = {}
    for i, line in enumerate(lines):
        m = METHOD.match(line)
        if m:
            end = next(j for j in range(i + 1, len(lines)) if lines[j] in ("  }", "  },"))
            out[m.group(1)] = end - i + 1
    return out


def test_the_player_is_served_as_one_module_joined_from_its_parts():
    js = player.player_js()
    assert player.JS_PARTS[0] == "core.js" and len(player.JS_PARTS) >= 5
    for name in player.JS_PARTS:
        assert f"// ---- {name}\n" in js
    assert js.count("export default function mount(") == 1  # one component


def test_every_method_the_player_calls_is_defined_once():
    js = player.player_js()
    defined = Counter(METHOD.findall(js))
    assert [m for m, n in defined.items() if n > 1] == []
    called = set(re.findall(r"this\.([a-zA-Z_]+)\(", js)) - {"setState", "setTrigger"}  # callbacks held
    assert called <= set(defined), called - set(defined)


def test_no_method_is_a_wall_of_code():
    lengths = _method_lengths(player.player_js())
    assert max(lengths.values()) <= 80, sorted(lengths.items(), key=lambda kv: -kv[1])[:3]
