"""A student's CSV file, from raw bytes to a table of text cells: the first half of reading a series.

    text, cut, resume = decode(raw)         # checked size, binary, UTF-8; the first and the last MAX_ROWS lines kept
    table = split(text, resume)             # Table: rows of stripped cells, the delimiter, what was skipped

Every refusal is a SeriesError whose message says what is wrong and what to do. data.py decides which
column holds the series, reads the numbers, fills gaps and checks the series as a whole.

Why bytes are checked before parsing: an upload is a student's file of any size or kind. Refusing over
MAX_BYTES first keeps memory bounded (a file is read once as bytes, once as text); a file of many short
rows under that size (4 million rows of "1") is cut by counting newlines in C (str.count, str.rfind)
before the csv module sees it, so the parser never handles more than MAX_ROWS lines.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

MAX_BYTES = 8 * 2 ** 20
MAX_ROWS = 100_000
DELIMITERS = ("\t", ";", ",")      # tried in this order: a tab or a semicolon is only ever a separator, a
                                   # comma may also be a decimal comma ("1958-03;315,7")
SAMPLE_LINES = 50                  # the delimiter is chosen on the first non-blank lines
CONSISTENT = 0.8                   # ... as the first that splits at least 80 % of them alike, in ≥ 2 fields
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # control characters other than tab, CR, LF
BLANK_LINE = re.compile(r"(?m)^[ \t]*\n")


class SeriesError(ValueError):
    """A file that cannot become a series; str(error) is a plain-text message for the page."""


@dataclass(frozen=True)
class Table:
    rows: list[list[str]]          # non-blank, non-comment rows, cells stripped, in file order
    line_of: list[int]             # the file's line number (1-based, counting the cut lines) of each row
    delimiter: str                 # "," ";" "\t", or "" for a single column
    blank: int                     # blank lines skipped (in a one-column file, those before the first row only)
    comments: int                  # lines starting with "#" skipped


def describe_delimiter(d: str) -> str:
    """How the fields were told apart, for a sentence: 'fields separated by commas', 'one column'."""
    return {"\t": "fields separated by tabs", ";": "fields separated by semicolons",
            ",": "fields separated by commas", "": "one column"}[d]


def _megabytes(n: int) -> str:
    return f"{n / 2 ** 20:.1f} MB"


def decode(raw: bytes | str) -> tuple[str, int, int]:
    """(text, lines cut from the top, the file's line number of the text's first line after the cut).

    At most MAX_BYTES; no NUL bytes or control characters (a binary file); UTF-8 (a byte-order mark is
    dropped). More than MAX_ROWS lines: the first line (it may be the header) and the last MAX_ROWS lines
    are kept, the rest cut (the recent past is what a forecast needs)."""
    if isinstance(raw, (bytes, bytearray, memoryview)):
        raw = bytes(raw)
        if len(raw) > MAX_BYTES:
            raise SeriesError(f"The file is {_megabytes(len(raw))}; the limit is {_megabytes(MAX_BYTES)}. "
                              f"Upload at most {MAX_ROWS:,} rows, e.g. only the recent part of the series.")
        zero = raw.find(b"\x00")
        if zero >= 0:
            raise SeriesError(f"The file holds binary data (a zero byte at position {zero:,}), not "
                              "text: it may be a spreadsheet (.xlsx), an image or a UTF-16 text. Save it as "
                              "'CSV UTF-8' and upload that.")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = raw.count(b"\n", 0, e.start) + 1
            raise SeriesError(f"The file is not UTF-8 text: byte 0x{raw[e.start]:02x} on line {line} cannot be "
                              "read. Save it as 'CSV UTF-8' (a spreadsheet's 'Save as' offers it) and upload "
                              "that.") from None
    elif isinstance(raw, str):
        if len(raw) > MAX_BYTES:                    # each character takes at least one byte
            raise SeriesError(f"The text is {len(raw):,} characters; the limit is {MAX_BYTES:,}. Paste at most "
                              f"{MAX_ROWS:,} rows, e.g. only the recent part of the series.")
        text = raw.removeprefix("\ufeff")
    else:
        raise SeriesError(f"Expected the file's bytes or text, got {type(raw).__name__}: upload a CSV file.")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise SeriesError(f"The file holds binary data (control character 0x{ord(bad.group()):02x} on line "
                          f"{line}), not text. Save it as 'CSV UTF-8' and upload that.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip()   # Windows (CR LF) and old Mac (CR) line ends
    if not text:
        raise SeriesError("The file is empty. Upload a CSV with one value per row, e.g. 'month,value' and then "
                          "'2020-01,3.5'.")
    return _cut(text)


def _cut(text: str) -> tuple[str, int, int]:
    """Keep the first line and the last MAX_ROWS lines; count the non-blank lines between (cut rows)."""
    if text.count("\n") + 1 <= MAX_ROWS + 1:
        return text, 0, 2
    end = len(text)
    for _ in range(MAX_ROWS):
        end = text.rfind("\n", 0, end)              # the newline before the last MAX_ROWS lines
    first_end = text.find("\n")
    middle = text[first_end + 1:end + 1]            # whole lines, each ending in "\n"
    lines = middle.count("\n")
    blank = sum(1 for _ in BLANK_LINE.finditer(middle))
    return text[:first_end + 1] + text[end + 1:], lines - blank, lines + 2


def _delimiter(lines: list[str]) -> str:
    if not lines:
        return ""
    for d in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=d)]
        except csv.Error:                           # a quote left open: not this delimiter's fault, try the next
            continue
        common = max(set(widths), key=widths.count)
        if common >= 2 and widths.count(common) >= CONSISTENT * len(widths):
            return d
    return ""


def split(text: str, resume_line: int = 2) -> Table:
    """The rows of cells. Lines from the second on are numbered from `resume_line` (decode's third value),
    so messages name the line of the original file even after a cut."""
    lines = text.split("\n")
    sample = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")][:SAMPLE_LINES]
    delimiter = _delimiter(sample)
    rows, line_of, blank, comments = [], [], 0, 0
    reader = csv.reader(io.StringIO(text), delimiter=delimiter or "\x1f", skipinitialspace=True)
    for cells in _rows(reader):
        index = reader.line_num                     # the line the row ended on (a quoted newline spans lines)
        number = 1 if index == 1 else index - 2 + resume_line
        cells = [c.strip() for c in cells] or [""]
        if not any(cells) and (delimiter or not rows):
            blank += 1                              # in one column, an empty line after the first row is an
                                                    # empty cell (a missing value), as a spreadsheet writes it
        elif cells[0].startswith("#"):
            comments += 1
        else:
            rows.append(cells)
            line_of.append(number)
    return Table(rows, line_of, delimiter, blank, comments)


def _rows(reader):
    """The csv reader's rows; its own error (a quote never closed swallows the rest of the file into one
    field, until the field outgrows csv's limit) as a SeriesError naming the line where that row began."""
    began = 1
    try:
        for row in reader:
            yield row
            began = reader.line_num + 1
    except csv.Error as e:
        raise SeriesError(f"The file cannot be read as CSV from line {began} on ({e}): a quote (\") that opens a "
                          "field there is probably never closed. Remove it or close it, and upload again.") from None
