"""The weapons breakdown, on tables with known answers."""

from __future__ import annotations

from query_tables import FEB, hand_built_tables

from oblastwatch.query.build import prepare
from oblastwatch.query.weapons import weapons_breakdown


def test_weapons_breakdown():
    prepared = prepare(*hand_built_tables())
    table = weapons_breakdown(prepared, FEB)
    shahed = table[table["weapon_model"] == "Shahed"].iloc[0]
    assert shahed["launched"] == 180
    assert shahed["events"] == 4
    assert shahed["waves"] == 4
    assert table.iloc[0]["weapon_model"] == "Shahed"  # largest first
    kyiv = weapons_breakdown(prepared, FEB, region="UA-30")
    assert set(kyiv["weapon_model"]) == {"Shahed", "Kh-101"}
    assert kyiv["launched"].sum() == 110
