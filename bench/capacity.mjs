#!/usr/bin/env node
// The README's capacity model, computed: Parley in production for 1M users (100k online) at
// 1,000 and 10,000 messages/s. Inputs are this repository's latest bench figures
// (bench/results/<date>.json, or the file given as the first argument), Google's published limits
// and list prices (cited below), and the traffic assumptions stated here. No emulator needed:
//   node bench/capacity.mjs [bench/results/<date>.json]
import { readdirSync, readFileSync } from "node:fs";

const file =
  process.argv[2] ??
  `bench/results/${readdirSync("bench/results")
    .filter((name) => name.endsWith(".json"))
    .sort()
    .at(-1)}`;
const bench = JSON.parse(readFileSync(file, "utf8"));

// ---- Cited limits and prices ----
const limits = {
  // firebase.google.com/docs/cloud-messaging/throttling-and-quotas: default HTTP v1 quota.
  fcmPerMinute: 600_000,
  // firebase.google.com/docs/firestore/best-practices "500/50/5": start a new collection at
  // 500 ops/s, grow 50% every 5 minutes.
  rampStart: 500,
  // cloud.google.com/firestore/pricing, us-central1 (regional), per 100,000 documents.
  readPrice: 0.03,
  writePrice: 0.09,
  // cloud.google.com/run/pricing (functions 2nd gen run on Cloud Run), tier 1, per second.
  vcpuSecond: 0.000024,
  gibSecond: 0.0000025,
};

// ---- Stated assumptions ----
const users = 1_000_000;
const onlineShare = 0.1; // 100k online
const devicesPerUser = 1.2;
const mutedShareInRooms = 0.2;
/**
 * One notification per unread streak (functions/src/push/streak.ts): a room member is pushed for
 * the first message after their last read, and for mentions. Room messages per member's unread
 * streak (messages between two reads of the room; conservative: a member of a busy room of
 * 10,000 who opens it a few times a day sees hundreds), and members mentioned per room message.
 */
const messagesPerStreak = { 50: 3, 10_000: 20 };
const mentionsPerRoomMessage = 1;
/** Share of messages by chat kind, and members per chat. */
const mix = [
  { kind: "1:1", share: 0.85, members: 2 },
  { kind: "room of 50", share: 0.149, members: 50 },
  { kind: "room of 10,000", share: 0.001, members: 10_000 },
];
const secondsPerMonth = 30 * 86_400;

// ---- Bench inputs ----
const bySize = Object.fromEntries(bench.roomScale.bySize.map((row) => [row.members, row]));
const perInstance = bench.hotRoomFramework.twentySenders.perSecond; // api msg/s per process
const fanOutPerSecond = Math.max(...bench.roomScale.fanOut.map((row) => row.members / (row.fanOutDelayMs / 1000)));
const FAN_OUT_PAGE = 400;
// The app badge (issue 24) added to a 1:1 send's request path what bench/badge-costs.mjs counts:
// it reads both members' event docs (+2 reads). Results from before it (no `badgeCosts`)
// counted sends without them. A room send is unchanged: its fan-out reads the badges.
const badgeOnRequest = bench.badgeCosts
  ? { direct: { reads: 0, writes: 0 }, room: { reads: 0, writes: 0 } }
  : { direct: { reads: 2, writes: 0 }, room: { reads: 0, writes: 0 } };

/** Roster shards of a room of `members` that hold a member (timeline/rosters.ts: 64, by hash), expected. */
function rosterShards(members) {
  return 64 * (1 - (1 - 1 / 64) ** members);
}

/** Documents read and written per message of a chat of `members`, request path + triggers + listeners. */
function perMessage(members) {
  const measured = bySize[members] ?? bySize[1_000]; // the request path does not grow with the room
  const badge = members === 2 ? badgeOnRequest.direct : badgeOnRequest.room;
  const request = { reads: measured.reads + badge.reads, writes: measured.writes + badge.writes };
  const recipients = members - 1;
  const pages = Math.ceil(members / FAN_OUT_PAGE);
  const online = recipients * onlineShare;
  if (members === 2) {
    // Trigger (bench/badge-costs.mjs `pushDirect`): chat, the recipient's settings, push claim
    // (read, create, update), devices query, sender, the recipient's event doc (its badge).
    return {
      writes: request.writes + 2,
      reads: request.reads + 6,
      // Online recipient: external event, chat doc, message; sender: chat doc, message.
      listenerReads: online * 3 + 2,
      pushes: recipients * devicesPerUser,
      fanOutEvents: 0,
    };
  }
  // The fan-out's uid ranges (push/uid-ranges.ts); evenly spread uids fit one page per range.
  const ranges = Math.min(32, Math.ceil(members / 300));
  const fanOutPages = Math.max(ranges, pages);
  // Recipients pushed: those whose unread streak the message opens, and the mentioned ones.
  const pushed = Math.min(
    recipients,
    (recipients * (1 - mutedShareInRooms)) / messagesPerStreak[members] + mentionsPerRoomMessage,
  );
  return {
    // Fan-out: the ranges' markers (one batch), an external event per recipient; per page the
    // marker's progress (in the page's batch), its push done, and a push claim (create + update).
    // The sender's event doc: their badge read up to their message (the page that holds them).
    writes: request.writes + ranges + recipients + 1 + fanOutPages * 4,
    // Room and marker 0, the sender's blockers and muters, the roster's shards (64 at most: the
    // expected number holding a member); per page a claim; per recipient their event doc (its
    // badge and push streak, read with the page: bench/badge-costs.mjs `fanOutRoomPerMember`),
    // per recipient pushed a devices query, and the sender's event doc.
    reads: request.reads + 4 + rosterShards(members) + fanOutPages + recipients + pushed + 1,
    // Online recipient: external event, chat doc, message; sender: chat doc, message, and their
    // external event (the fan-out writes their badge).
    listenerReads: online * 3 + 3,
    pushes: pushed * devicesPerUser,
    fanOutEvents: recipients,
  };
}

function model(messagesPerSecond) {
  const totals = { writes: 0, reads: 0, listenerReads: 0, pushes: 0, fanOutEvents: 0 };
  for (const { share, members } of mix) {
    const each = perMessage(members);
    for (const key of Object.keys(totals)) totals[key] += messagesPerSecond * share * each[key];
  }
  const apiInstances = Math.ceil(messagesPerSecond / perInstance);
  const fanOutRuns = Math.ceil(totals.fanOutEvents / fanOutPerSecond);
  const writesPerMonth = totals.writes * secondsPerMonth;
  const readsPerMonth = (totals.reads + totals.listenerReads) * secondsPerMonth;
  const firestoreCost = (writesPerMonth / 100_000) * limits.writePrice + (readsPerMonth / 100_000) * limits.readPrice;
  // One vCPU and 0.5 GiB per instance, busy all month (an upper bound: instances scale down).
  const instanceCost = (apiInstances + fanOutRuns) * secondsPerMonth * (limits.vcpuSecond + 0.5 * limits.gibSecond);
  const rampMinutes = 5 * Math.max(0, Math.ceil(Math.log(totals.writes / limits.rampStart) / Math.log(1.5)));
  return {
    messagesPerSecond,
    writesPerSecond: Math.round(totals.writes),
    readsPerSecond: Math.round(totals.reads),
    listenerReadsPerSecond: Math.round(totals.listenerReads),
    fanOutEventsPerSecond: Math.round(totals.fanOutEvents),
    apiInstances,
    fanOutRuns,
    fcmPerMinute: Math.round(totals.pushes * 60),
    fcmQuotaShare: Math.round(((totals.pushes * 60) / limits.fcmPerMinute) * 100) / 100,
    rampMinutes,
    firestorePerMonthUsd: Math.round(firestoreCost),
    instancesPerMonthUsd: Math.round(instanceCost),
  };
}

const perKind = mix.map(({ kind, share, members }) => {
  const each = perMessage(members);
  return {
    kind,
    share,
    writes: Math.round(each.writes),
    reads: Math.round(each.reads),
    listenerReads: Math.round(each.listenerReads * 10) / 10,
    pushes: Math.round(each.pushes * 10) / 10,
    writesPerSecondAt1000: Math.round(1_000 * share * each.writes),
  };
});

const result = {
  inputs: {
    bench: file,
    perInstanceMessagesPerSecond: perInstance,
    // bench/push-streak.mjs, when the run has it: ten messages in a row into a room of 10,000.
    pushStreak: bench.pushStreak ?? null,
    messagesPerStreak,
    mentionsPerRoomMessage,
    fanOutEventsPerSecondPerChain: Math.round(fanOutPerSecond),
    requestPath: bench.roomScale.bySize,
    users,
    online: users * onlineShare,
    mix,
  },
  rows: [model(1_000), model(10_000)],
};
console.log(JSON.stringify(result.inputs, null, 2));
console.log("Per message, by chat kind (documents; pushes = FCM messages)");
console.table(perKind);
console.table(result.rows);
