"""Loaded tables hold each pyarrow column in one chunk, values and types unchanged."""

from __future__ import annotations

import pandas as pd

from oblastwatch.domain import model
from oblastwatch.storage.dataset import concat


def _chunks(series: pd.Series) -> int:
    return series.array.__arrow_array__().num_chunks


def test_concatenated_parts_come_out_in_one_chunk_with_the_same_values():
    part = pd.DataFrame(
        {
            "event_id": pd.Series(["a", None, "c"], dtype="string[pyarrow]"),
            "launched": pd.Series([1.0, None, 3.0], dtype="Float64"),
        }
    )
    plain = pd.concat([part, part, part], ignore_index=True)
    assert _chunks(plain["event_id"]) == 3  # what taking rows from paid for
    joined = concat([part, part, part], model.empty_events())
    assert _chunks(joined["event_id"]) == 1
    pd.testing.assert_frame_equal(joined, plain)
