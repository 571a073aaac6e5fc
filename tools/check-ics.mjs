// Checks an .ics file the way Thunderbird reads it: with Mozilla's ical.js (2.2.1).
//
// Usage: node tools/check-ics.mjs file.ics REQUEST|CANCEL|PUBLISH [uninvite]
//
//   REQUEST, CANCEL  an iTIP message (RFC 5546): one event, ORGANIZER and ATTENDEEs as mailto:,
//                    SEQUENCE, DTEND; a whole-event CANCEL carries STATUS:CANCELLED, an
//                    "uninvite" CANCEL carries no STATUS.
//   PUBLISH          a subscription feed: zero or more events, unique UIDs, and no ORGANIZER or
//                    ATTENDEE anywhere (a public feed must not carry people).
//
// Every mode: valid UTF-8 (catches folds inside a multi-byte sequence), CRLF line endings, at
// most 75 octets a line, VERSION and PRODID, DTSTAMP in UTC, a VTIMEZONE for every TZID.
// Prints one JSON line per VEVENT on stdout; exits 1 with the reasons on stderr when a check
// fails, 2 when ical.js cannot parse the file, 64 on a usage error.
// Spec: shared/notes/library-pitfalls.md §1.8 and §1.9.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MODES = ["REQUEST", "CANCEL", "PUBLISH"];
const [file, expectMethod, option] = process.argv.slice(2);
if (!file || !MODES.includes(expectMethod) || (option && option !== "uninvite")) {
  console.error("usage: node tools/check-ics.mjs file.ics REQUEST|CANCEL|PUBLISH [uninvite]");
  process.exit(64);
}
const itip = expectMethod !== "PUBLISH";
const uninvite = option === "uninvite";

const raw = readFileSync(file);
const errors = [];
const fail = (message) => errors.push(message);

let text;
try {
  text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
} catch {
  console.error("FAIL: not valid UTF-8 (bad folding or wrong charset)");
  process.exit(1);
}
const lines = raw.toString("latin1").split("\r\n"); // latin1: one char per octet
if (lines.at(-1) !== "") fail("the last line does not end with CRLF");
if (lines.slice(0, -1).some((l) => l.includes("\n") || l.includes("\r"))) {
  fail("content lines must end with CRLF");
}
if (lines.some((l) => l.length > 75)) fail("a content line exceeds 75 octets (RFC 5545 3.1)");

let jcal;
try {
  jcal = ICAL.parse(text);
} catch (e) {
  console.error("PARSE ERROR:", e.message);
  process.exit(2);
}
if (!Array.isArray(jcal) || typeof jcal[0] !== "string") {
  console.error("PARSE ERROR: expected exactly one VCALENDAR");
  process.exit(2);
}
const cal = new ICAL.Component(jcal);
if (cal.name !== "vcalendar") fail("root is not VCALENDAR");
if (cal.getFirstPropertyValue("version") !== "2.0") fail("VERSION is not 2.0");
if (!cal.hasProperty("prodid")) fail("missing PRODID");
const method = cal.getFirstPropertyValue("method");
if (method !== expectMethod) fail(`METHOD is ${method}, expected ${expectMethod}`);

const tzids = new Set();
for (const vtz of cal.getAllSubcomponents("vtimezone")) {
  // Resolve TZIDs as Thunderbird does, from the VTIMEZONEs in the file.
  const tz = new ICAL.Timezone(vtz);
  ICAL.TimezoneService.register(tz);
  tzids.add(tz.tzid);
}

const isMailto = (address) => typeof address === "string" && /^mailto:[^\s]+$/i.test(address);
const everyComponent = (component) => [component, ...component.getAllSubcomponents().flatMap(everyComponent)];
if (!itip) {
  for (const component of everyComponent(cal)) {
    for (const name of ["organizer", "attendee"]) {
      if (component.hasProperty(name)) fail(`a PUBLISH feed carries ${name.toUpperCase()} (in ${component.name})`);
    }
  }
}

const events = cal.getAllSubcomponents("vevent");
if (itip && events.length === 0) fail("no VEVENT");
const uids = events.map((ve) => ve.getFirstPropertyValue("uid"));
if (itip && new Set(uids).size > 1) fail("an iTIP message carries one UID");
if (!itip && new Set(uids).size !== uids.length) fail("a UID appears twice in the feed");

for (const ve of events) {
  const ev = new ICAL.Event(ve);
  for (const p of ["uid", "dtstamp", "dtstart"]) if (!ve.hasProperty(p)) fail(`VEVENT missing ${p}`);
  const dtstamp = ve.getFirstPropertyValue("dtstamp");
  if (dtstamp && dtstamp.zone !== ICAL.Timezone.utcTimezone) fail("DTSTAMP is not in UTC");
  for (const name of ["dtstart", "dtend"]) {
    const tzid = ve.getFirstProperty(name)?.getParameter("tzid");
    if (tzid && !tzids.has(tzid)) fail(`${name} TZID=${tzid} has no VTIMEZONE`);
  }
  if (itip) {
    if (!ve.hasProperty("sequence")) fail("set SEQUENCE explicitly");
    if (!ve.hasProperty("dtend") && !ve.hasProperty("duration")) fail("iTIP event needs DTEND");
    const organizers = ve.getAllProperties("organizer");
    if (organizers.length !== 1) fail("iTIP message needs exactly one ORGANIZER");
    const attendees = ve.getAllProperties("attendee");
    if (attendees.length === 0) fail("no ATTENDEE: no Accept/Decline");
    for (const p of [...organizers, ...attendees]) {
      if (!isMailto(p.getFirstValue())) fail(`${p.name.toUpperCase()} is not a mailto: address`);
    }
  }
  const status = ve.getFirstPropertyValue("status");
  if (method === "CANCEL" && !uninvite && status !== "CANCELLED") fail("whole-event CANCEL needs STATUS:CANCELLED");
  if (method === "CANCEL" && uninvite && status) fail("uninvite CANCEL must not carry STATUS");

  const start = ev.startDate;
  console.log(
    JSON.stringify({
      uid: ev.uid,
      sequence: ev.sequence,
      summary: ev.summary,
      location: ev.location,
      description: ev.description,
      status,
      allDay: start.isDate,
      // A whole-day event has no instant: report its date as written.
      startUTC: start.isDate ? start.toString() : start.convertToZone(ICAL.Timezone.utcTimezone).toString(),
      organizer: ve.getFirstProperty("organizer")?.getFirstValue() ?? null,
      attendees: ve.getAllProperties("attendee").map((a) => ({
        address: a.getFirstValue(),
        cn: a.getParameter("cn") ?? null,
        cutype: a.getParameter("cutype") ?? null,
        role: a.getParameter("role") ?? null,
        partstat: a.getParameter("partstat") ?? null,
        rsvp: a.getParameter("rsvp") ?? null,
      })),
    }),
  );
}

try {
  ICAL.parse(cal.toString()); // round trip through ical.js's own serializer
} catch (e) {
  fail(`ical.js cannot re-read its own serialization: ${e.message}`);
}
if (errors.length) {
  console.error("FAIL:\n - " + errors.join("\n - "));
  process.exit(1);
}
