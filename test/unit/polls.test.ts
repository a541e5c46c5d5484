import { describe, expect, it } from "vitest";
import { sendMessageBody } from "../../functions/src/messages/schemas.js";
import { toPollView } from "../../functions/src/messages/views.js";
import { newPoll } from "../../functions/src/messages/send-message.js";
import type { PollDoc } from "../../functions/src/shared/docs.js";
import { messagePreview } from "../../functions/src/timeline/preview.js";

const poll = (changes: Partial<PollDoc>): PollDoc => ({
  question: "Lunch?",
  options: ["Pizza", "Soup"],
  multiple: false,
  anonymous: false,
  closed: false,
  votes: { "0": 0, "1": 0 },
  voterCount: 0,
  ...changes,
});

describe("polls, pure parts", () => {
  it("when a poll is sent, then its texts are cleaned as display names and every count starts at 0", () => {
    const body = sendMessageBody.parse({ poll: { question: " Lunch\u202E? ", options: [" Pizza ", "Soup", "Salad"] } });
    expect(newPoll(body.poll!)).toEqual({
      question: "Lunch?",
      options: ["Pizza", "Soup", "Salad"],
      multiple: false,
      anonymous: false,
      closed: false,
      votes: { "0": 0, "1": 0, "2": 0 },
      voterCount: 0,
    });
  });

  it("when a body has both or neither of text and poll, or a poll too few, too many or equal options, then it is refused with a reason", () => {
    const reasons = (body: unknown) => sendMessageBody.safeParse(body).error?.issues.map((issue) => issue.message);
    expect(reasons({ text: "hi", poll: { question: "q", options: ["a", "b"] } })).toEqual(["send either text or poll"]);
    expect(reasons({})).toEqual(["is required"]);
    expect(reasons({ poll: { question: "q", options: ["a"] } })).toEqual(["must have at least 2 options"]);
    expect(reasons({ poll: { question: "q", options: Array.from({ length: 11 }, (_, i) => `${i}`) } })).toEqual([
      "must have at most 10 options",
    ]);
    expect(reasons({ poll: { question: "q", options: ["a", " a"] } })).toEqual(["must all be different"]);
    expect(reasons({ poll: { question: "q", options: ["a", "b".repeat(101)] } })).toEqual(["must be at most 100 characters"]);
  });

  it("when an option's voter list is as long as its count, then the view lists voters; when any falls short, or the poll is anonymous, then not", () => {
    const listed = poll({ votes: { "0": 1, "1": 0 }, voterCount: 1, voters: { "0": ["ann"] } });
    expect(toPollView(listed, [0])).toMatchObject({ voters: [["ann"], []], myVotes: [0] });
    const past = poll({ votes: { "0": 51, "1": 0 }, voterCount: 51, voters: { "0": ["ann"] } });
    expect(toPollView(past, []).voters).toBeNull();
    expect(toPollView(poll({ anonymous: true }), []).voters).toBeNull();
    expect(messagePreview({ type: "poll", text: "Lunch?" })).toBe("Poll: Lunch?");
  });
});
