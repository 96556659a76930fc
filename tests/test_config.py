"""config.yaml lists of coded items: each error names the key."""
from __future__ import annotations

import pytest
import yaml

from queue_server.app import parse_config
from queue_server.platform.config import ConfigError

from .support import ROOT


@pytest.mark.parametrize("mutate,key,words", [
    (lambda d: d["services"].append(dict(d["services"][0])), "services[3].code", "duplicate"),
    (lambda d: d["counters"][0].pop("code"), "counters[0].code", "is required"),
    (lambda d: d["categories"][1].update(code="lansia"), "categories[1].code", "duplicate"),
    (lambda d: d.update(counters=[]), "counters", "at least one counter"),
    (lambda d: d["services"].__setitem__(0, "INFO"), "services[0]", "must be a mapping"),
    (lambda d: d["counters"][0].update(code="loket satu"), "counters[0].code", "letters"),
])
def test_coded_lists_name_the_bad_key(mutate, key, words):
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    mutate(data)
    with pytest.raises(ConfigError) as error:
        parse_config(data, ROOT / "config.yaml")
    assert error.value.key == key and words in str(error.value)
