"""Regenerate the bad-input corpus in this directory: ``python tests/data/bad/generate.py``.

The files are committed (they are small); this script documents exactly which bytes each one
holds, which matters for the encodings, line endings, zero-width and homoglyph characters
that an editor would silently "fix". ``EXPECTED.json`` is written by hand, not here.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
POINTS = "id,date,latitude,longitude,location,title,description,killed,injured,sources"
MMA = "time_start,time_end,model,launch_place,target,carrier,launched,destroyed"
GENERIC = "When,Where,What,Launched,Killed,Link,Title,Note"
XSS_IMG = "<img src=x onerror=window.__xss=1>"
XSS_SCRIPT = "<script>window.__xss=1</script>"


def lines(*rows: str, end: str = "\n") -> str:
    return end.join(rows) + end


def text_files() -> dict[str, str]:
    long_text = ("Air Force report. " * 6000)[:99_999] + "."
    return {
        "header_only.csv": POINTS + "\n",
        "header_then_blank_lines.csv": POINTS + "\n\n   \n\t\n",
        "whitespace_only.csv": "\n  \n\t\n",
        "wrong_delimiter_rows.csv": lines(
            POINTS,
            "a1;2024-01-02;50.45;30.52;Kyiv;Strike;text;1;2;",
            "a2;2024-01-03;46.48;30.73;Odesa;Strike;text;0;1;",
        ),
        "semicolon_delimited.csv": lines(
            POINTS.replace(",", ";"),
            "s1;2024-01-02;50,45;30,52;Kyiv;Strike;Decimal commas;1;2;",
            "s2;02.01.2024;46,48;30,73;Odesa;Strike;Day-first date;0;1;",
        ),
        "tab_delimited.tsv": lines(
            POINTS.replace(",", "\t"),
            "t1\t2024-01-02\t50.45\t30.52\tKyiv\tStrike\tTabs\t\t\t",
        ),
        "unclosed_quote.csv": lines(
            POINTS,
            "q1,2024-01-02,50.45,30.52,Kyiv,Strike,fine,0,0,",
            'q2,2024-01-03,46.48,30.73,Odesa,"Strike on the port,never closed,0,0,',
            "q3,2024-01-04,49.99,36.23,Kharkiv,Strike,fine,0,0,",
        ),
        "too_many_fields.csv": lines(
            POINTS,
            "f1,2024-01-02,50.45,30.52,Kyiv,Strike,fine,0,0,",
            "f2,2024-01-03,46.48,30.73,Odesa,Strike,an unquoted, comma,0,0,",
        ),
        "missing_required_columns_mma.csv": lines(
            "time_start,time_end,model,launched",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,40",
        ),
        "unknown_header.csv": lines("foo,bar,baz", "1,2,3"),
        "duplicated_columns.csv": lines(
            "id,date,latitude,longitude,location,date",
            "d1,2024-01-02,50.45,30.52,Kyiv,2024-01-03",
        ),
        "extra_columns.csv": lines(
            POINTS + ",source_id,notes,,",
            "e1,2024-01-02,50.45,30.52,Kyiv,Strike,text,1,2,https://example.org/a,77,extra,,",
            "e2,2024-01-03,46.48,30.73,Odesa,Strike,text,0,1,,78,more,x,y",
        ),
        "dates_several_formats.csv": lines(
            POINTS,
            "r0,2024-01-02,50.45,30.52,Kyiv,ISO date,,,,",
            "r1,01/02/2024,50.45,30.52,Kyiv,month first,,,,",
            "r2,02.01.2024,50.45,30.52,Kyiv,day first,,,,",
            "r3,2 January 2024,50.45,30.52,Kyiv,day month year,,,,",
            "r4,2024-01-02 08:00,50.45,30.52,Kyiv,local time,,,,",
            "r5,Jan 2 2024,50.45,30.52,Kyiv,US words,,,,",
            "r6,2024/01/02,50.45,30.52,Kyiv,slashes ISO order,,,,",
            "r7,,50.45,30.52,Kyiv,blank,,,,",
            "r8,yesterday,50.45,30.52,Kyiv,a word,,,,",
            "r9,45292,50.45,30.52,Kyiv,spreadsheet serial,,,,",
        ),
        "dates_impossible.csv": lines(
            POINTS,
            "i0,2026-02-30,50.45,30.52,Kyiv,Feb 30,,,,",
            "i1,2023-02-29,50.45,30.52,Kyiv,not a leap year,,,,",
            "i2,2024-02-29,50.45,30.52,Kyiv,leap day (valid),,,,",
            "i3,13/13/2024,50.45,30.52,Kyiv,month 13,,,,",
            "i4,31.04.2024,50.45,30.52,Kyiv,April 31,,,,",
            "i5,2024-00-10,50.45,30.52,Kyiv,month 0,,,,",
            "i6,2024-01-02 25:00,50.45,30.52,Kyiv,hour 25,,,,",
            "i7,0000-01-01,50.45,30.52,Kyiv,year 0,,,,",
            "i8,9999-12-31,50.45,30.52,Kyiv,year 9999,,,,",
        ),
        "timestamps_offsets.csv": lines(
            POINTS,
            "o0,2024-01-01T23:30:00+00:00,50.45,30.52,Kyiv,UTC late evening,,,,",
            "o1,2024-06-01T22:00Z,50.45,30.52,Kyiv,UTC Z in summer,,,,",
            "o2,2024-01-02T01:30+02:00,50.45,30.52,Kyiv,Kyiv winter offset,,,,",
            "o3,2024-01-02T08:00-0500,50.45,30.52,Kyiv,Western offset,,,,",
            "o4,2024-01-02T08:00+25:00,50.45,30.52,Kyiv,impossible offset,,,,",
            "o5,2024-03-31 03:30,50.45,30.52,Kyiv,nonexistent Kyiv time (DST),,,,",
            "o6,2024-10-27 03:30,50.45,30.52,Kyiv,ambiguous Kyiv time (DST),,,,",
        ),
        "counts_mma.csv": lines(
            MMA,
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,40,35",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,-3,0",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,2.5,1",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,1e308,0",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,abc,0",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,NaN,0",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,inf,0",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,-inf,0",
            '2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,"1,000",0',
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,,",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,10,0x1F",
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,99999999999999999999,0",
        ),
        "counts_points.csv": lines(
            POINTS,
            "c0,2024-01-02,50.45,30.52,Kyiv,ok,,1,2,",
            "c1,2024-01-02,50.45,30.52,Kyiv,negative,,-1,0,",
            "c2,2024-01-02,50.45,30.52,Kyiv,fractional,,1.5,0,",
            "c3,2024-01-02,50.45,30.52,Kyiv,not a number,,many,0,",
            "c4,2024-01-02,50.45,30.52,Kyiv,NaN,,NaN,0,",
            "c5,2024-01-02,50.45,30.52,Kyiv,inf,,inf,0,",
            "c6,2024-01-02,50.45,30.52,Kyiv,huge,,1e300,0,",
            "c7,2024-01-02,50.45,30.52,Kyiv,blank,,,,",
        ),
        "coordinates_bad.csv": lines(
            POINTS,
            "g0,2024-01-02,50.45,30.52,,inside Kyiv,,,,",
            "g1,2024-01-02,30.52,50.45,,swapped Kyiv,,,,",
            "g2,2024-01-02,95.0,200.0,,out of range no text,,,,",
            "g3,2024-01-02,95.0,200.0,Odesa oblast,out of range with text,,,,",
            "g4,2024-01-02,55.7558,37.6173,,Moscow,,,,",
            "g5,2024-01-02,52.2297,21.0122,,Warsaw,,,,",
            "g6,2024-01-02,0,-30,,Atlantic,,,,",
            "g7,2024-01-02,NaN,NaN,,NaN no text,,,,",
            "g8,2024-01-02,inf,-inf,Kharkiv oblast,inf with text,,,,",
            "g9,2024-01-02,north,east,,words,,,,",
            "g10,2024-01-02,0,0,,null island,,,,",
            "g11,2024-01-02,,,,blank both,,,,",
        ),
        "regions_names.csv": lines(
            GENERIC,
            "2024-01-02,Odesa oblast,strike,10,,,,clean",
            "2024-01-02,Narnia oblast,strike,10,,,,unknown",
            "2024-01-02,Odesa oblastt,strike,10,,,,misspelled",
            "2024-01-02,Одеська область,strike,10,,,,Ukrainian Cyrillic",
            "2024-01-02,Харьковская область,strike,10,,,,Russian Cyrillic",
            "2024-01-02,Ode\u200bsa oblast,strike,10,,,,zero-width space",
            "2024-01-02,\u041edesa oblast,strike,10,,,,Cyrillic capital O homoglyph",
            "2024-01-02,Kh\u0430rkiv oblast,strike,10,,,,Cyrillic a homoglyph",
            "2024-01-02,  ODESA   OBLAST  ,strike,10,,,,case and spaces",
            "2024-01-02,Mykolaiv oblast\ufeff,strike,10,,,,trailing BOM character",
        ),
        "duplicate_ids.csv": lines(
            POINTS,
            "dup,2024-01-02,50.45,30.52,Kyiv,first,,,,",
            "dup,2024-01-02,50.45,30.52,Kyiv,first,,,,",
            "dup,2024-01-03,50.45,30.52,Kyiv,second,,,,",
            "uniq,2024-01-04,50.45,30.52,Kyiv,third,,,,",
            "dup,2024-01-05,50.45,30.52,Kyiv,fourth,,,,",
            ",2024-01-06,50.45,30.52,Kyiv,blank id,,,,",
            "dup#2,2024-01-07,50.45,30.52,Kyiv,own id dup#2,,,,",
        ),
        "long_text.csv": lines(
            POINTS,
            f"long,2024-01-02,50.45,30.52,Kyiv,Long description,{long_text},,,",
        ),
        "html_js_payloads.csv": lines(
            POINTS,
            f'x0,2024-01-02,46.48,30.73,Odesa,"{XSS_IMG}","{XSS_SCRIPT}",,,'
            "javascript:window.__xss=1",
            f'x1,2024-01-02,46.48,30.73,"{XSS_SCRIPT}",'
            '"<a href=""javascript:window.__xss=1"">click</a>","<svg onload=window.__xss=1>",,,'
            '"https://example.org/a?<script>"',
        ),
        "formula_payloads.csv": lines(
            POINTS,
            'f0,2024-01-02,46.48,30.73,Odesa,"=HYPERLINK(""http://evil.example/"",""x"")",'
            "+cmd|' /C calc'!A0,,,",
            "f1,2024-01-02,46.48,30.73,Odesa,@SUM(1+1)*cmd|' /C calc'!A0,-2+3+cmd|' /C calc'!A0,,,",
            'f2,2024-01-02,46.48,30.73,=1+1,"\t=tab-led","\r=cr-led",,,',
        ),
        "generic_bad_urls_and_kinds.csv": lines(
            GENERIC,
            "2024-01-02,Odesa oblast,strike,10,0,https://example.org/ok,ok,",
            "2024-01-02,Odesa oblast,strike,10,0,javascript:window.__xss=1,js url,",
            "2024-01-02,Odesa oblast,strike,10,0,file:///etc/passwd,file url,",
            "2024-01-02,Odesa oblast,bombardment,10,0,,unknown kind,",
            '2024-01-02,Odesa oblast,strike,10,0,"data:text/html;base64,PHNjcmlwdD4=",data url,',
            "2024-01-02,Odesa oblast,talks,,,,talks row,",
        ),
        "generic_no_region_rows.csv": lines(
            GENERIC,
            "2024-01-02,Ukraine,strike,10,,,,national",
            "2024-01-03,Black Sea,strike,5,,,,outside every region",
        ),
        "mma_bad_times.csv": lines(
            MMA,
            "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,40,35",
            "2024-01-01 18:00,,Shahed-136/131,Iran,Odesa oblast,,40,35",
            "2024-01-01 18:00,02/01/2024,Shahed-136/131,Iran,Odesa oblast,,40,35",
            "yesterday,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,40,35",
            "2024-01-01 18:00,2026-02-30 08:00,Shahed-136/131,Iran,Odesa oblast,,40,35",
            "2024-01-03 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,40,35",
        ),
        "json_wrong_nesting.json": json.dumps(
            {"events": [{"date": "2024-01-02", "latitude": 50.45, "longitude": 30.52}]}
        ),
        "json_list_of_lists.json": json.dumps([["date", "latitude"], ["2024-01-02", 50.45]]),
        "json_truncated.json": '[{"date": "2024-01-02", "latitude": 50.45,\n "longitude": ',
        "json_scalar.json": "42",
        "json_nested_values.json": json.dumps(
            [
                {
                    "id": "j0",
                    "date": "2024-01-02",
                    "latitude": 50.45,
                    "longitude": 30.52,
                    "location": "Kyiv",
                    "killed": 1,
                },
                {
                    "id": "j1",
                    "date": "2024-01-02",
                    "latitude": {"deg": 50},
                    "longitude": [30],
                    "location": "",
                    "killed": None,
                },
                {
                    "id": "j2",
                    "date": 20240102,
                    "latitude": 50.45,
                    "longitude": 30.52,
                    "location": "Kyiv",
                    "killed": True,
                },
            ],
            indent=1,
        ),
        "geojson_invalid_geometry.geojson": json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"date": "2024-01-02"},
                        "geometry": {"type": "Point", "coordinates": ["x", None]},
                    },
                    {
                        "type": "Feature",
                        "properties": {"date": "2024-01-02"},
                        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
                    },
                ],
            }
        ),
    }


def hostile_shapes() -> dict[str, str]:
    """Files whose shape, not their content, is the attack: each must be refused as fast as a
    normal file of its size is read (``bench/hostile.py`` times the large versions)."""
    days = [f"2024-01-{day:02d}" for day in range(1, 29)]
    mma_rows = [
        f"{day} 18:00,{day} 23:00,Shahed-136/131,Primorsko-Akhtarsk,Odesa oblast,,{n},{n - 1}"
        for n, day in enumerate(days * 6, start=2)
    ]
    return {
        # An export that lost its line breaks after the header: all rows are one line.
        "rows_on_one_line.csv": lines(MMA, "".join(mma_rows[:40])),
        # ... and one that lost all of them: the header line runs on into the data.
        "no_line_breaks.csv": MMA + "".join(mma_rows),
        "many_fields_row.csv": lines(
            POINTS,
            "w0,2024-01-02,50.45,30.52,Kyiv,Strike,fine,0,0,",
            "w1,2024-01-03" + ",x" * 4_999,
        ),
        "wide_header.csv": lines(",".join(f"c{i}" for i in range(1, 1_501)), ",".join("1" * 1_500)),
        # One extra field on the first data row: pandas used to take the first field as the
        # row label and shift every value one column to the left, silently.
        "first_row_extra_field.csv": lines(
            POINTS,
            "e1,2024-01-02,50.45,30.52,Kyiv,Strike,text,0,0,,extra",
            "e2,2024-01-03,46.48,30.73,Odesa,Strike,text,0,1,",
        ),
        "json_wide_record.json": json.dumps(
            [{"date": "2024-01-02", **{f"k{i}": i for i in range(1, 1_200)}}]
        ),
    }


def byte_files() -> dict[str, bytes]:
    cyrillic = lines(
        POINTS,
        "k0,2024-01-02,,,Одеська область,Атака дронів,Опис «з лапками» — тире №1,0,1,",
        "k1,2024-01-03,,,Харківська область,Ракетний удар,,2,5,",
    )
    rng = random.Random(6)
    return {
        "empty.csv": b"",
        "binary_garbage.csv": bytes(rng.randrange(256) for _ in range(2048)),
        "png_named_csv.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 2,
        "nul_bytes_in_text.csv": lines(POINTS, "n0,2024-01-02,50.45,30.52,Ky\x00iv,,,,,").encode(),
        "cp1251.csv": cyrillic.encode("cp1251"),
        "utf16_bom.csv": cyrillic.encode("utf-16"),
        "utf8_bom.csv": b"\xef\xbb\xbf" + cyrillic.encode("utf-8"),
        "invalid_utf8_after_bom.csv": b"\xef\xbb\xbf" + POINTS.encode() + b"\n\xff\xfe\xfa,,\n",
        "mixed_line_endings.csv": (
            POINTS + "\r\n"
            "m0,2024-01-02,50.45,30.52,Kyiv,crlf,,,,\r\n"
            "m1,2024-01-03,50.45,30.52,Kyiv,lf,,,,\n"
            "m2,2024-01-04,50.45,30.52,Kyiv,cr,,,,\r"
            'm3,2024-01-05,50.45,30.52,Kyiv,"quoted\r\nnewline inside",,,,\n'
            "m4,2024-01-06,50.45,30.52,Kyiv,last no newline,,,,"
        ).encode(),
    }


def main() -> None:
    for name, text in (text_files() | hostile_shapes()).items():
        (HERE / name).write_bytes(text.encode("utf-8"))
    for name, data in byte_files().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
