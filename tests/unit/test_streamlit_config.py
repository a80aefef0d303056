"""#14.9: the app's Streamlit settings that the interaction budget depends on."""

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_no_full_garbage_collection_after_every_script_run():
    # Streamlit's default gc.collect(2) after each run walks every object in the process:
    # with a long call's transcript cached that is most of a score click's server time
    assert tomllib.loads(CONFIG.read_text())["runner"]["postScriptGC"] is False
