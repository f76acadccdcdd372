"""``oblastwatch talks-effect`` through the CLI entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from shared_reference import MMA_DAILY, needs

from oblastwatch.cli import main
from oblastwatch.storage.bundled import load_bundled
from oblastwatch.storage.imported import load_dataset
from oblastwatch.study.events import event_windows, select_events
from oblastwatch.study.settings import DEFAULT_WINDOW_DAYS

DATA = Path(__file__).resolve().parents[1] / "data"
TABLE_COLUMNS = [
    "event_ids",
    "n_events",
    "title",
    "kind",
    "start",
    "end",
    "venue",
    "format",
    "parties",
    "before_mean",
    "during_mean",
    "after_mean",
    "baseline_mean",
    "ratio_before",
    "ratio_during",
    "ratio_after",
    "ci_low_before",
    "ci_high_before",
    "ci_low_during",
    "ci_high_during",
    "ci_low_after",
    "ci_high_after",
    "p_before",
    "p_during",
    "p_after",
    "n_days_missing",
    "n_placebo",
]
FAST = ["--permutations", "300", "--bootstrap", "300"]


def imported_mma(tmp_path: Path) -> Path:
    out = tmp_path / "mma-current"
    assert main(["import", str(DATA / "mma" / "current.csv"), "--out", str(out)]) == 0
    return out


def test_bundled_talks_and_strikes_give_one_row_per_cluster(tmp_path, capsys):
    out, pooled_out = tmp_path / "effect.csv", tmp_path / "pooled.csv"
    code = main(
        ["talks-effect", "--kind", "talks", "--out", str(out), "--pooled-out", str(pooled_out)]
    )
    printed = capsys.readouterr().out
    assert code == 0
    table = pd.read_csv(out)
    assert list(table.columns) == TABLE_COLUMNS
    bundled = load_bundled().events
    expected = event_windows(select_events(bundled, kinds=["talks"]), window=DEFAULT_WINDOW_DAYS)
    assert table["event_ids"].tolist() == expected["event_ids"].tolist()
    assert set(table["kind"].str.split(";").explode()) == {"talks"}
    pooled = pd.read_csv(pooled_out)
    assert pooled["window"].tolist() == ["before", "during", "after"]
    assert "strikes: curated-strikes" in printed
    assert "days without rows counted as zero" in printed  # waves, the list's default
    assert f"-> {len(table)} rows (overlap=merge, window={DEFAULT_WINDOW_DAYS} days)" in printed
    assert f"wrote {out}" in printed


def test_without_options_the_bundled_data_gives_ratios_and_p_values_for_ten_events(
    tmp_path, capsys
):
    out, pooled_out = tmp_path / "effect.csv", tmp_path / "pooled.csv"
    assert main(["talks-effect", "--out", str(out), "--pooled-out", str(pooled_out)]) == 0
    printed = capsys.readouterr().out
    table, pooled = pd.read_csv(out), pd.read_csv(pooled_out)
    for window in ("before", "during", "after"):
        defined = table[f"ratio_{window}"].notna() & table[f"p_{window}"].notna()
        assert defined.sum() >= 10, window
    assert (pooled["n_units"] >= 10).all()
    assert pooled["p_value"].notna().all()
    # The output says which metric and rule were used, and why.
    assert (
        "metric: waves (count of major attack waves per day from the curated list; a day "
        "without a row counts as 0 within 2025-01-15..2026-03-14: the list is meant to name "
        "every wave of at least 100 drones or 10 missiles"
    ) in printed
    assert "no events with a defined ratio" not in printed


def test_the_same_seed_writes_the_same_file(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    args = ["talks-effect", "--kind", "talks", "summit", "--overlap", "keep", "--seed", "5", *FAST]
    assert main([*args, "--out", str(first)]) == 0
    assert main([*args, "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_data_dir_supplies_the_strikes_and_the_bundled_table_the_talks(tmp_path, capsys):
    dataset = imported_mma(tmp_path)
    capsys.readouterr()
    out = tmp_path / "effect.csv"
    args = ["talks-effect", "--data", str(dataset), "--kind", "talks", "--window", "1"]
    code = main([*args, "--overlap", "keep", *FAST, "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "strikes: mma-current, 2024-02-28 to 2026-02-26" in printed
    assert "days without rows counted as zero" in printed
    table = pd.read_csv(out).set_index("event_ids")
    geneva = table.loc["curated-talks:E054"]
    assert geneva["start"] == "2026-02-26"
    imported = load_dataset(dataset).events
    drones = imported[
        (imported["date"] == pd.Timestamp("2026-02-26")) & (imported["weapon_category"] == "drone")
    ]["launched"].sum()
    # The Air Force rows of that night, not the curated strikes table (420).
    assert geneva["during_mean"] == drones != 420
    # Talks before the imported data begins are listed with nothing computed.
    first_round = table.loc["curated-talks:E001"]
    assert pd.isna(first_round["during_mean"])
    assert first_round["n_days_missing"] == 3


def test_without_kind_talks_are_studied_and_kind_all_takes_every_diplomatic_kind(tmp_path):
    bundled = load_bundled().events
    default, every = tmp_path / "default.csv", tmp_path / "all.csv"
    assert main(["talks-effect", *FAST, "--out", str(default)]) == 0
    assert main(["talks-effect", "--kind", "all", *FAST, "--out", str(every)]) == 0
    talks_only = event_windows(select_events(bundled, kinds=["talks"]), window=DEFAULT_WINDOW_DAYS)
    assert pd.read_csv(default)["event_ids"].tolist() == talks_only["event_ids"].tolist()
    all_kinds = event_windows(select_events(bundled), window=DEFAULT_WINDOW_DAYS)
    assert pd.read_csv(every)["event_ids"].tolist() == all_kinds["event_ids"].tolist()
    assert len(all_kinds) != len(talks_only)


def test_source_picks_the_strike_data_and_its_absent_day_rule(tmp_path, capsys):
    dataset = imported_mma(tmp_path)
    capsys.readouterr()
    out = tmp_path / "effect.csv"
    args = ["talks-effect", "--data", str(dataset), "--source", "curated-strikes", *FAST]
    assert main([*args, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "strikes: curated-strikes, " in printed
    # The curated list's own metric and rule: waves, a day without a row counts as 0.
    assert "days without rows counted as zero" in printed
    assert "metric: waves (" in printed
    # A launch count from the same list: a day without a row is missing.
    assert main([*args, "--metric", "drones_launched", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "days without rows counted as missing" in printed
    assert "metric: drones_launched (" in printed


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--window", "0"], "window must be between 1 and 30 days, got 0"),
        (["--data", "no-such-dir"], "no-such-dir: no such dataset directory"),
        (["--party", "Atlantis"], "no diplomatic events match"),
        (["--source", "nope"], "no strike data named 'nope'; loaded: curated-strikes"),
        (["--permutations", "0"], "--permutations and --bootstrap must be at least 1"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(tmp_path, capsys, extra, message):
    code = main(["talks-effect", *extra, "--out", str(tmp_path / "effect.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("oblastwatch talks-effect: error: ")
    assert message in err
    assert not (tmp_path / "effect.csv").exists()


def test_output_in_a_missing_directory_is_refused(tmp_path, capsys):
    target = tmp_path / "nowhere" / "effect.csv"
    assert main(["talks-effect", "--out", str(target)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_directory_that_is_not_a_dataset_is_refused(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    code = main(["talks-effect", "--data", str(empty), "--out", str(tmp_path / "e.csv")])
    assert code == 2
    assert "not an oblastwatch dataset" in capsys.readouterr().err


def test_console_command_runs_in_a_subprocess(tmp_path):
    out = tmp_path / "effect.csv"
    completed = subprocess.run(
        [sys.executable, "-m", "oblastwatch.cli", "talks-effect", "--kind", "summit"]
        + ["--window", "3", *FAST, "--out", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "before: " in completed.stdout
    assert list(pd.read_csv(out).columns) == TABLE_COLUMNS


@pytest.mark.slow
@needs(MMA_DAILY)
def test_reference_dataset_end_to_end(tmp_path, capsys):
    dataset = tmp_path / "mma"
    assert main(["import", str(MMA_DAILY), "--out", str(dataset)]) == 0
    out, pooled_out = tmp_path / "effect.csv", tmp_path / "pooled.csv"
    args = ["talks-effect", "--data", str(dataset), "--kind", "talks", "--out", str(out)]
    assert main([*args, "--pooled-out", str(pooled_out)]) == 0
    pooled = pd.read_csv(pooled_out)
    assert (pooled["n_units"] >= 10).all()
    assert pooled["p_value"].between(0, 1).all()
    table = pd.read_csv(out)
    assert table["p_before"].notna().sum() >= 10
