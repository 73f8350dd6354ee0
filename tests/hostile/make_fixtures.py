#!/usr/bin/env python3
"""Writes the hostile journal fixtures of tests/hostile.rs (run from this folder; the output is
committed, this script documents how each was made). Each journal is for the built-in guide
cmp-patient-focus-group; lines are checksummed as topicguide writes them (CRC-32 of the record's
JSON, eight lowercase hex digits)."""
import json, zlib

def line(rec, crc=None):
    text = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
    c = zlib.crc32(text.encode()) if crc is None else crc
    return '{"crc":"%08x","rec":%s}\n' % (c, text)

def started(label="Group 1", at="2026-11-23T14:05:00Z"):
    return {"seq": 1, "at": at, "event": {"started": {
        "label": label, "kind": "focus-group", "mode": "in-person",
        "participants": ["P1", "P2", "P3", "P4", "P5"], "planned_minutes": 60, "consent": True,
        "bell": True, "guide_title": "CMP patient experience: focus group", "guide_version": "1.0",
        "guide_source": "cmp-patient-focus-group", "app_version": "0.1.0"}}}

def ev(seq, at, event):
    return {"seq": seq, "at": at, "event": event}

def note(seq, at, nid, text, theme="health"):
    return ev(seq, at, {"note_added": {"id": nid, "noted_at": at, "theme": theme, "text": text}})

def write(name, lines):
    with open(name, "w", encoding="utf-8") as f:
        f.write("".join(lines))

base = [
    line(started()),
    line(ev(2, "2026-11-23T14:06:00Z", {"discussing": {"theme": "health"}})),
    line(note(3, "2026-11-23T14:07:00Z", "n1", "@P1 first note")),
]

# Records of kinds this build does not know, in the middle and as the last line.
write("newer-records.jsonl", base + [
    line(ev(4, "2026-11-23T14:08:00Z", {"roster_changed": {"participant": "P6", "seat": 3}})),
    line(note(5, "2026-11-23T14:09:00Z", "n2", "@P2 second note")),
    line(ev(6, "2026-11-23T14:10:00Z", "transcript_attached")),
])

# A bit flipped in the last, whole line: damage, not a torn write.
last = line(note(4, "2026-11-23T14:08:00Z", "n2", "@P2 shown as saved"))
flipped = last.replace("shown", "shewn")
write("bitflip-last-line.jsonl", base + [flipped])

# A write cut short: part of a line, no newline.
write("torn-last-line.jsonl", base + [last[: len(last) // 2]])

# A damaged record in the middle (line 3).
write("damaged-middle.jsonl", base[:2] + [base[2].replace("first", "firts")] + [
    line(note(4, "2026-11-23T14:08:00Z", "n2", "@P2 after the damage")),
    line(ev(5, "2026-11-23T14:30:00Z", "ended")),
])

# What users and files can type: escape sequences, OSC 52 clipboard writes, a window title,
# spreadsheet formulas, raw HTML, javascript: links, line and paragraph separators.
ESC = "\x1b"
hostile_label = "Group " + ESC + "]0;pwned" + "\x07" + ESC + "[2J"
write("escapes.jsonl", [
    line(started(label=hostile_label)),
    line(ev(2, "2026-11-23T14:06:00Z", {"discussing": {"theme": "health"}})),
    line(note(3, "2026-11-23T14:07:00Z", "n1", "@P1 =HYPERLINK(\"http://x.test\",\"click\")")),
    line(note(4, "2026-11-23T14:07:10Z", "n2", "+1 and -1 and @SUM(A1)")),
    line(note(5, "2026-11-23T14:07:20Z", "n3", "\tleading tab")),
    line(note(6, "2026-11-23T14:07:30Z", "n4", "\rleading CR")),
    line(note(7, "2026-11-23T14:07:40Z", "n5", "<script>alert(1)</script> <img src=x onerror=alert(2)>")),
    line(note(8, "2026-11-23T14:07:50Z", "n6", "[click me](javascript:alert(3)) <javascript:alert(4)>")),
    line(note(9, "2026-11-23T14:08:00Z", "n7", "clipboard " + ESC + "]52;c;cm0gLXJmIH4=" + "\x07" + " title " + ESC + "]2;owned" + ESC + "\\")),
    line(note(10, "2026-11-23T14:08:10Z", "n8", "line\u2028separator and\u2029paragraph")),
    line(note(11, "2026-11-23T14:08:20Z", "n9", "csi " + ESC + "[31mred" + ESC + "[0m and c1 \u009b31m")),
    line(ev(12, "2026-11-23T14:30:00Z", "ended")),
])

# An old journal (wall-clock times) whose clock was stepped back 10 minutes, then forward 5 hours.
write("clock-stepped.jsonl", [
    line(started()),
    line(ev(2, "2026-11-23T14:06:00Z", "recording_started")),
    line(ev(3, "2026-11-23T14:07:00Z", {"discussing": {"theme": "health"}})),
    line(note(4, "2026-11-23T14:08:00Z", "n1", "@P1 before the step")),
    # The clock went back ten minutes here.
    line(note(5, "2026-11-23T13:59:00Z", "n2", "@P2 after the step back")),
    line(ev(6, "2026-11-23T14:00:00Z", {"discussing": {"theme": "psychosocial"}})),
    # And forward five hours here.
    line(note(7, "2026-11-23T19:01:00Z", "n3", "@P3 after the step forward")),
    line(ev(8, "2026-11-23T19:02:00Z", "ended")),
])

# A session whose clock stood before 1970 (a machine with a dead clock battery).
write("before-1970.jsonl", [
    line(started(at="1969-07-20T20:17:00Z")),
    line(ev(2, "1969-07-20T20:18:00Z", "recording_started")),
    line(ev(3, "1969-07-20T20:18:30Z", {"discussing": {"theme": "health"}})),
    line(note(4, "1969-07-20T20:19:00Z", "n1", "@P1 one small step")),
    line(ev(5, "1969-07-20T20:30:00Z", "ended")),
])

# A session whose clock jumped a century between two records.
write("century-span.jsonl", [
    line(started(at="1926-11-23T14:05:00Z")),
    line(ev(2, "1926-11-23T14:06:00Z", {"discussing": {"theme": "health"}})),
    line(note(3, "1926-11-23T14:07:00Z", "n1", "@P1 early")),
    line(note(4, "2026-11-23T14:07:00Z", "n2", "@P2 a century later")),
    line(ev(5, "2026-11-23T14:08:00Z", "ended")),
])
