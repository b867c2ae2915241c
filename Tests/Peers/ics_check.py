#!/usr/bin/env python3
"""Reads an iCalendar feed with the `icalendar` package (PyPI) and prints what it holds as JSON,
for CalendarFeedTests: the calendar's properties, each event (UID, SEQUENCE, STATUS, its start
as a UTC instant and its end, or an all-day event's date and end date, SUMMARY, DESCRIPTION,
URL, TRANSP, alarms), and the checks a calendar program relies on.

    python3 Tests/Peers/ics_check.py FEED.ics

Exits 1 with the reason on standard error when the text is not RFC 5545 as Bevaka promises it:
lines not ended by CRLF, a line longer than 75 octets, a VTIMEZONE for Europe/Stockholm that does
not give the same offsets as the system's time-zone data, an event without UID, DTSTAMP or DTSTART,
one that ends before it starts, an all-day event not written as a DATE.
"""
import datetime
import json
import sys
import zoneinfo

import icalendar


def fail(message):
    sys.stderr.write(f"ics_check: {message}\n")
    sys.exit(1)


def main():
    raw = open(sys.argv[1], "rb").read()
    if not raw.endswith(b"\r\n"):
        fail("the text does not end with CRLF")
    lines = raw.split(b"\r\n")[:-1]
    for number, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            fail(f"line {number} holds a bare line break")
        if len(line) > 75:
            fail(f"line {number} is {len(line)} octets long (at most 75)")
        line.decode("utf-8")  # every line, folded or not, is whole UTF-8

    calendar = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    if calendar.name != "VCALENDAR":
        fail(f"the outer component is {calendar.name}")

    # The feed's own VTIMEZONE must give what the time-zone database gives for Stockholm.
    timezones = [component for component in calendar.walk("VTIMEZONE")]
    if len(timezones) != 1 or str(timezones[0]["TZID"]) != "Europe/Stockholm":
        fail("there is not exactly one VTIMEZONE, for Europe/Stockholm")
    own = timezones[0].to_tz()
    system = zoneinfo.ZoneInfo("Europe/Stockholm")
    for year in range(2026, 2031):
        for month, day, hour in ((1, 15, 12), (3, 29, 17), (7, 1, 12), (10, 26, 17), (11, 2, 17)):
            local = datetime.datetime(year, month, day, hour, 0)
            if local.replace(tzinfo=own).utcoffset() != local.replace(tzinfo=system).utcoffset():
                fail(f"the VTIMEZONE's offset on {local} differs from the time-zone database's")

    events = []
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            if required not in event:
                fail(f"an event has no {required}")
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND") if "DTEND" in event else None
        parameters = event["DTSTART"].params
        if end is not None and (type(end) is not type(start) or end <= start):
            fail(f"an event ends ({end}) before it starts ({start}), or not as a value of the same kind")
        found = {
            "uid": str(event["UID"]),
            "sequence": int(event.get("SEQUENCE", 0)),
            "status": str(event.get("STATUS", "")),
            "transp": str(event.get("TRANSP", "")),
            "tzid": parameters.get("TZID", ""),
            "summary": str(event.get("SUMMARY", "")),
            "description": str(event.get("DESCRIPTION", "")),
            "url": str(event.get("URL", "")),
            "alarms": [alarm.decoded("TRIGGER").astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                       for alarm in event.walk("VALARM")],
        }
        if isinstance(start, datetime.datetime):
            # The start is Stockholm wall-clock time with its TZID, read through the feed's VTIMEZONE.
            local = start.replace(tzinfo=None)
            through_own = local.replace(tzinfo=own).astimezone(datetime.timezone.utc)
            found.update({
                "allDay": False,
                "start": start.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "startThroughFeedTimeZone": through_own.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "startLocal": local.strftime("%Y-%m-%dT%H:%M"),
                "end": end.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if end else "",
            })
        else:
            # A whole day (VALUE=DATE): a date, no time and no zone.
            if parameters.get("VALUE") != "DATE" or found["tzid"]:
                fail(f"the all-day event {found['uid']} is not written DTSTART;VALUE=DATE")
            found.update({"allDay": True, "date": start.isoformat(), "endDate": end.isoformat() if end else ""})
        events.append(found)
    print(json.dumps({
        "prodid": str(calendar.get("PRODID", "")),
        "version": str(calendar.get("VERSION", "")),
        "calscale": str(calendar.get("CALSCALE", "")),
        "method": str(calendar.get("METHOD", "")),
        "name": str(calendar.get("X-WR-CALNAME", "")),
        "events": events,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
